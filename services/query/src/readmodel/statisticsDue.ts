/** Fewest rows written since the planner's statistics were last taken before they are taken again. */
export const STATISTICS_MIN_ROWS = 1_000;
/** The share of the table written since then that makes them due: estimates stay within half of the truth, and a model growing from empty to a million rows is analysed about twenty times. */
export const STATISTICS_SHARE = 0.5;

/**
 * Whether a table's planner statistics are due again (PostgreSQL `ANALYZE`), after `writtenSince`
 * rows were written into a table that held `rowsAtLast` when they were last taken: at half the
 * table and at least 1,000 rows. Autovacuum would take them at a tenth, but it may be off, or a
 * minute late while a first catch-up writes the whole model; the store keeps them itself. A read model without statistics is planned as if small:
 * an export then reads and sorts every remaining row of the station for each chunk.
 */
export function statisticsDue(rowsAtLast: number, writtenSince: number): boolean {
  return writtenSince >= Math.max(STATISTICS_MIN_ROWS, STATISTICS_SHARE * Math.max(0, rowsAtLast));
}
