import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { TransportMessage } from './TransportMessage';

/**
 * In-process transport standing in for Kafka on one machine: `publish` hands a message to the
 * handler of its topic, one at a time in publication order (as one Kafka partition would).
 */
export class EmbeddedTransport extends Server implements CustomTransportStrategy {
  private chain: Promise<void> = Promise.resolve();

  listen(callback: () => void): void {
    callback();
  }

  close(): void {
    // Nothing to release: no connection, no thread.
  }

  on(): never {
    throw new Error('EmbeddedTransport has no transport events');
  }

  unwrap<T>(): T {
    throw new Error('EmbeddedTransport has no underlying client');
  }

  /** Queues a message; resolves when its handler has finished (the ledger has the record). */
  publish(topic: string, value: string, key?: string): Promise<void> {
    const run = this.chain.then(async () => {
      const handler = this.getHandlerByPattern(topic);
      if (!handler) throw new Error(`no handler for topic ${topic}`);
      const message: TransportMessage = { value, key, topic };
      await handler(message);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
