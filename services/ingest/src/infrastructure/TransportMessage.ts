/** A message as a transport hands it over: the raw value, never re-serialised, and where it came from. */
export interface TransportMessage {
  value: string;
  key?: string;
  topic: string;
  partition?: number;
  offset?: string;
}
