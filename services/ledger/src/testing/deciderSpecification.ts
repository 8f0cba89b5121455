import type { Decider } from '../domain/Decider';

/**
 * Given/when/then for a decider (the shape of emmett's `DeciderSpecification`): the state is folded
 * from the given events with the decider's own `evolve`, then the command is decided.
 */
export function deciderSpecification<C, E, S>(decider: Decider<C, E, S>) {
  return (given: E[]) => ({
    when: (command: C) => {
      const handle = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: E[]) => expect(handle()).toEqual(expected),
        thenNothingHappened: () => expect(handle()).toEqual([]),
        thenThrows: (rule: string) => {
          let thrown: unknown;
          try {
            handle();
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toMatchObject({ name: 'LedgerRuleViolation', rule });
        },
      };
    },
  });
}
