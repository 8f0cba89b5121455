import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import type { TransportMessage } from './TransportMessage';

/**
 * Hands the Kafka record to the handler as its bytes: the ledger keeps messages verbatim and hashes
 * them as received, so the value must neither go through Nest's default JSON parsing (the transport
 * keeps it binary) nor be decoded here (a lossy decode would make distinct messages one). The pipeline
 * checks that the bytes are UTF-8.
 */
export class RawMessageDeserializer implements ConsumerDeserializer {
  deserialize(
    value: { value?: Buffer | string | null; key?: Buffer | string | object | null; topic: string; partition: number; offset: string },
    options?: { channel?: string },
  ): IncomingEvent {
    const data: TransportMessage = {
      value: value.value == null ? Buffer.alloc(0) : typeof value.value === 'string' ? Buffer.from(value.value, 'utf8') : value.value,
      key: keyText(value.key),
      topic: value.topic,
      partition: value.partition,
      offset: value.offset,
    };
    return { pattern: options?.channel ?? value.topic, data };
  }
}

/** The record's key as text (Nest's parser turns a key that reads as JSON into an object: back to JSON text). */
function keyText(key: Buffer | string | object | null | undefined): string | undefined {
  if (key == null) return undefined;
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8');
  return JSON.stringify(key);
}
