import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { TransportMessage } from './TransportMessage';

/**
 * In-process transport standing in for Kafka on one machine: `publish` hands a message to the
 * handler of its topic, one at a time in publication order (as one Kafka partition would).
 */
export class EmbeddedTransport extends Server implements CustomTransportStrategy {
  private chain: Promise<void> = Promise.resolve();
  /** Handlers by topic, looked up once: Nest's lookup tries each pattern as JSON (an exception per message). */
  private readonly handlers = new Map<string, MessageHandler>();

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
      let handler = this.handlers.get(topic);
      if (!handler) {
        handler = this.getHandlerByPattern(topic) ?? undefined;
        if (handler) this.handlers.set(topic, handler);
      }
      if (!handler) throw new Error(`no handler for topic ${topic}`);
      const message: TransportMessage = { value, key, topic };
      await handler(message);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }
}
