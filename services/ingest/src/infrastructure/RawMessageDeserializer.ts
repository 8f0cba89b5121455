import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import type { TransportMessage } from './TransportMessage';

/**
 * Hands the Kafka record to the handler as raw text: the ledger keeps messages verbatim, so the value
 * must not go through Nest's default JSON parsing.
 */
export class RawMessageDeserializer implements ConsumerDeserializer {
  deserialize(value: { value?: Buffer | string | null; key?: Buffer | string | null; topic: string; partition: number; offset: string }, options?: { channel?: string }): IncomingEvent {
    const data: TransportMessage = {
      value: value.value == null ? '' : value.value.toString(),
      key: value.key == null ? undefined : value.key.toString(),
      topic: value.topic,
      partition: value.partition,
      offset: value.offset,
    };
    return { pattern: options?.channel ?? value.topic, data };
  }
}
