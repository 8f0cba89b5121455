/**
 * The partitions whose committed offset differs between two snapshots (`topic/partition` -> offset),
 * in order, each as `topic/partition: before -> after`. The broker lists partitions in no fixed order,
 * and a CI run once failed with partitions listed at -1 (no commit) in the second snapshot that the
 * first did not hold as such: a partition missing from a snapshot counts as -1 there, which is what
 * the broker answers for a partition with no commit.
 */
export function movedOffsets(first: ReadonlyMap<string, string>, last: ReadonlyMap<string, string>): string[] {
  return [...new Set([...first.keys(), ...last.keys()])]
    .sort()
    .filter((key) => (first.get(key) ?? '-1') !== (last.get(key) ?? '-1'))
    .map((key) => `${key}: ${first.get(key) ?? '-1'} -> ${last.get(key) ?? '-1'}`);
}
