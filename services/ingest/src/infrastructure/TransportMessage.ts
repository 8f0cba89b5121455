/**
 * A message as a transport hands it over: the raw value, never re-serialised or decoded (Kafka: the
 * record's bytes; the embedded transport: text, taken as its UTF-8 bytes), and where it came from.
 */
export interface TransportMessage {
  value: Buffer | string;
  key?: string;
  topic: string;
  partition?: number;
  offset?: string;
}
