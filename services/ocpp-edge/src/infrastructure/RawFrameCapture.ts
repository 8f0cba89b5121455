import type { RPCClient } from 'ocpp-rpc';

/** An inbound WebSocket message exactly as received, and when. */
export interface RawFrame {
  text: string;
  receivedAt: Date;
}

/**
 * The raw text of one ocpp-rpc client's inbound frames. ocpp-rpc emits 'message' with the text as
 * received, then, for the same frame and synchronously, 'call' or 'response' with the parsed
 * message id; a CALL's handler is invoked in that same turn. So each CALL's text is kept under its
 * message id until its handler takes it, and each CALLRESULT/CALLERROR is handed to `onResponse`.
 */
export class RawFrameCapture {
  private last: RawFrame | undefined;
  private lastCall: string | undefined;
  private readonly calls = new Map<string, RawFrame>();

  constructor(client: RPCClient, onResponse: (messageId: string, frame: RawFrame, messageType: number) => void) {
    client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      if (!outbound) this.last = { text: typeof message === 'string' ? message : message.toString('utf8'), receivedAt: new Date() };
    });
    client.on('call', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      if (outbound || !this.last) return;
      this.calls.set(String(payload[1]), this.last);
      this.lastCall = this.last.text;
      this.last = undefined;
    });
    client.on('response', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      if (outbound || !this.last) return;
      const frame = this.last;
      this.last = undefined;
      onResponse(String(payload[1]), frame, Number(payload[0]));
    });
    // A CALL refused before its handler ran (schema, duplicate id, no handler): its text is not needed.
    client.on('callError', ({ outbound, messageId }: { outbound: boolean; messageId: string }) => {
      if (!outbound) this.calls.delete(messageId);
    });
  }

  /** The text of the CALL last seen, also when it was refused before reaching a handler (for logs). */
  get lastText(): string | undefined {
    return this.lastCall;
  }

  /** The text of the CALL with this message id (once). */
  takeCall(messageId: string): RawFrame | undefined {
    const frame = this.calls.get(messageId);
    this.calls.delete(messageId);
    return frame;
  }
}
