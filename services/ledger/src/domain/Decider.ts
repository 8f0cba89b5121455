/**
 * A stream's rules as a decider (the shape of event-driven-io/emmett's `Decider`): the state a stream
 * starts from, how one event changes it, and which events a command causes given that state. Pure:
 * no store, no clock, no framework. `decide` returns no events when the command changes nothing
 * (a redelivered message), and throws a `LedgerRuleViolation` when the command breaks a rule.
 *
 * `evolve` may return the same state object it was given, changed: a dataset stream holds one entry
 * per counter, and copying it for every event would make a stream's load quadratic. The ledger only
 * evolves a state it owns, after the events are stored.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}
