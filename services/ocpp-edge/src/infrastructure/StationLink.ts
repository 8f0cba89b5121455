import { quoteBounded } from '@metrology-ledger/ledger';
import { createRPCError, NOREPLY as NOREPLY_VALUE } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import type { StationAdmission } from '../application/authenticateStation';
import type { EdgeLogger } from '../application/EdgeLogger';
import type { EdgeStats } from '../application/EdgeStats';
import { FrameNotStored, type FramePublisher } from '../application/FramePublisher';
import { BadFrameCounter } from '../domain/BadFrameCounter';
import { answerIsRecorded, classifyCall } from '../domain/classifyCall';
import { frameRecord, type FrameOrigin } from '../domain/OcppFrameRecord';
import { versionOf, type OcppSubprotocol, type OcppVersion } from '../domain/OcppVersion';
import { answerAsCsms, standaloneActions, type CsmsContext } from '../domain/StandaloneCsms';
import type { TransactionIdSequence } from '../domain/TransactionIdSequence';
import type { EdgeMetrics } from '../metrics/EdgeMetrics';
import { RawFrameCapture, type RawFrame } from './RawFrameCapture';
import type { StationSide, UpstreamLink } from './UpstreamLink';

const NOREPLY = NOREPLY_VALUE as unknown as symbol;
const MSG_CALLRESULT = 3;

/** What every station connection shares. */
export interface StationLinkContext {
  publisher: FramePublisher;
  log: EdgeLogger;
  stats: EdgeStats;
  metrics: EdgeMetrics;
  edgeInstance: string;
  maxBadFrames: number;
  maxFrameBytes: number;
  heartbeatIntervalS: number;
  transactionIds: TransactionIdSequence;
  /** Proxy mode: the actions forwarded to the CSMS (every request of the official schemas). */
  proxiedActions(subprotocol: OcppSubprotocol): readonly string[];
  onClosed(link: StationLink): void;
}

interface InboundCall {
  messageId?: string;
  method?: string;
  params?: Record<string, unknown>;
}

/**
 * One station's live connection. Every CALL the ledger needs is published (and acknowledged by
 * Kafka) before the station gets its answer, in standalone mode, or before it is forwarded to the
 * CSMS, in proxy mode; when Kafka does not acknowledge it the station gets CALLERROR InternalError
 * and keeps the message to send again. Bad frames are counted and close the connection when
 * `maxBadFrames` come in a row.
 */
export class StationLink implements StationSide {
  readonly identity: string;
  readonly version: OcppVersion;
  private readonly origin: FrameOrigin;
  private readonly capture: RawFrameCapture;
  private readonly badFrames: BadFrameCounter;
  private readonly csms: CsmsContext;
  private readonly securityProfile: StationAdmission['securityProfile'];
  private swallowBadMessage = false;
  private ended = false;

  constructor(
    private readonly client: RPCServerClient,
    admission: StationAdmission,
    private readonly upstream: UpstreamLink | undefined,
    private readonly ctx: StationLinkContext,
  ) {
    this.identity = admission.identity;
    this.version = versionOf(client.protocol as OcppSubprotocol);
    this.securityProfile = admission.securityProfile;
    this.origin = {
      identity: admission.identity,
      ocppVersion: this.version,
      securityProfile: admission.securityProfile,
      ...(admission.clientCertSha256 ? { clientCertSha256: admission.clientCertSha256 } : {}),
      edgeInstance: ctx.edgeInstance,
    };
    this.badFrames = new BadFrameCounter(ctx.maxBadFrames);
    this.csms = {
      get now() {
        return new Date();
      },
      heartbeatIntervalS: ctx.heartbeatIntervalS,
      transactionIds: ctx.transactionIds,
    };
    this.capture = new RawFrameCapture(client, (id, frame) => this.onStationAnswer(id, frame));

    client.on('strictValidationFailure', (e: { outbound: boolean; isCall: boolean; method: string; error: Error }) => {
      if (!e.outbound && e.isCall) this.onBadFrame(`${e.method} breaks the OCPP ${this.version} schema: ${e.error.message}`, this.capture.lastText ?? '');
      else if (e.outbound) ctx.log.error({ msg: `station ${this.quoted}: the edge's own answer to ${e.method} breaks the schema (${quoteBounded(e.error.message, 200)}); sent InternalError`, identity: this.identity, action: e.method });
    });
    client.on('badMessage', (e: { buffer: Buffer | string; error: Error }) => {
      if (this.swallowBadMessage) {
        this.swallowBadMessage = false;
        return;
      }
      this.onBadFrame(e.error.message, String(e.buffer));
    });
    client.on('socketError', (e: Error & { code?: string }) => {
      if (e.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        ctx.stats.oversizeFrames++;
        ctx.metrics.oversizeFrame();
        ctx.log.warn({ msg: `station ${this.quoted}: frame over ${ctx.maxFrameBytes} bytes (EDGE_MAX_FRAME_BYTES); connection closed with 1009`, identity: this.identity });
      } else {
        ctx.log.warn({ msg: `station ${this.quoted}: socket error ${quoteBounded(e.message, 200)}`, identity: this.identity });
      }
    });
    client.on('close', ({ code, reason }: { code: number; reason: string }) => this.onClose(code, String(reason ?? '')));

    // One handler per action, no wildcard: an action outside the schemas is answered NotImplemented
    // by ocpp-rpc (not a schema failure), and is neither a bad frame nor forwarded.
    const actions = upstream ? ctx.proxiedActions(client.protocol as OcppSubprotocol) : standaloneActions(this.version);
    for (const action of actions) client.handle(action, (call: InboundCall) => this.onCall(call) as never);
    ctx.metrics.stationConnected(this.version, this.securityProfile);
    upstream?.attach(this);
  }

  get subprotocol(): string {
    return this.client.protocol ?? '';
  }

  /** Closes the station's connection (and its upstream connection). */
  async close(code: number, reason: string, awaitPending = false): Promise<void> {
    await this.client.close({ code, reason, awaitPending }).catch(() => undefined);
  }

  /** Closes at once, without waiting for anything. */
  terminate(): void {
    void this.client.close({ force: true }).catch(() => undefined);
  }

  /** Proxy: a frame from the CSMS, sent to the station unchanged (`action`: a CSMS CALL's, counted). */
  toStation(text: string, action?: string): void {
    try {
      this.client.sendRaw(text);
      if (action !== undefined) this.ctx.metrics.frame(/^[A-Za-z0-9_]{1,64}$/.test(action) ? action : 'other', 'to_station');
    } catch {
      this.ctx.log.warn({ msg: `station ${this.quoted}: a frame from the CSMS was not delivered, the station's connection is closed`, identity: this.identity, ...(action ? { action } : {}) });
    }
  }

  /** Proxy: the CSMS closed the edge's connection, so the station's connection ends too (it reconnects). */
  upstreamClosed(code: number, reason: string): void {
    this.ctx.log.warn({ msg: `station ${this.quoted}: the CSMS closed its connection (${code} ${quoteBounded(reason, 80)}); closing the station's`, identity: this.identity });
    void this.close(1001, 'the CSMS closed its connection');
  }

  private get quoted(): string {
    return quoteBounded(this.identity);
  }

  private async onCall({ messageId = '', method = '', params = {} }: InboundCall): Promise<unknown> {
    const frame = this.capture.takeCall(messageId);
    this.badFrames.good();
    this.ctx.metrics.frame(method, 'from_station');
    if (!frame) throw createRPCError('InternalError', 'the edge lost the frame text; send it again');
    if (classifyCall(this.version, method) === 'ledger') await this.store('CALL', messageId, method, frame);
    if (this.upstream) return this.forward(messageId, method, frame);
    const answer = answerAsCsms(this.version, method, params, this.csms);
    if (!answer) throw createRPCError('NotImplemented', `the standalone edge does not handle ${method}`);
    if (answerIsRecorded(this.version, method)) {
      // ocpp-rpc sends exactly this text: JSON.stringify([3, messageId, answer]).
      await this.store('CALLRESULT', messageId, method, { text: JSON.stringify([MSG_CALLRESULT, messageId, answer]), receivedAt: new Date() });
    }
    return answer;
  }

  private async forward(messageId: string, method: string, frame: RawFrame): Promise<symbol> {
    const answer = await this.upstream!.forwardCall(messageId, frame.text);
    if (!answer) return NOREPLY;
    if (answerIsRecorded(this.version, method) && /^\s*\[\s*3\s*,/.test(answer.text)) await this.store('CALLRESULT', messageId, method, answer);
    this.toStation(answer.text);
    return NOREPLY;
  }

  private async store(messageType: 'CALL' | 'CALLRESULT', ocppMessageId: string, action: string, frame: RawFrame): Promise<void> {
    const record = frameRecord(this.origin, { messageType, ocppMessageId, action, text: frame.text, receivedAt: frame.receivedAt });
    try {
      await this.ctx.publisher.publish(record);
      this.ctx.stats.framesStored++;
      this.ctx.metrics.publishedFrame(action, messageType, true);
      this.ctx.log.debug({ msg: `station ${this.quoted}: ${action} ${messageType} stored as ${record.messageId}`, identity: this.identity, ocppMessageId, action, messageType, messageId: record.messageId });
    } catch (e) {
      this.ctx.stats.framesNotStored++;
      this.ctx.metrics.publishedFrame(action, messageType, false);
      const why = e instanceof FrameNotStored ? e.message : `unexpected publisher error: ${(e as Error).message}`;
      this.ctx.log.warn({
        msg: `station ${this.quoted}: ${action} ${messageType} ${quoteBounded(ocppMessageId)} not stored, answered InternalError: ${quoteBounded(why, 300)}`,
        identity: this.identity,
        ocppMessageId,
        action,
        messageType,
      });
      throw createRPCError('InternalError', 'the edge could not store this message; send it again');
    }
  }

  /** A CALLRESULT or CALLERROR from the station: in proxy mode the answer to a CSMS call, forwarded unchanged. */
  private onStationAnswer(_messageId: string, frame: RawFrame): void {
    if (!this.upstream) return; // standalone: the edge calls no one, so ocpp-rpc reports it as a bad frame
    this.swallowBadMessage = true;
    this.badFrames.good();
    this.upstream.sendRaw(frame.text);
  }

  private onBadFrame(reason: string, frame: string): void {
    this.ctx.stats.badFrames++;
    this.ctx.metrics.badFrame();
    const close = this.badFrames.bad();
    this.ctx.log.warn({
      msg: `station ${this.quoted}: bad frame (${this.badFrames.count} on this connection, limit ${this.ctx.maxBadFrames} in a row): ${quoteBounded(reason, 300)}; frame ${quoteBounded(frame, 120)}`,
      identity: this.identity,
    });
    if (!close || this.ended) return;
    this.ctx.stats.closedForBadFrames++;
    this.ctx.metrics.closedAfterBadFrames();
    this.ctx.log.warn({ msg: `station ${this.quoted}: closing the connection after ${this.ctx.maxBadFrames} bad frames in a row (EDGE_MAX_BAD_FRAMES)`, identity: this.identity });
    // After this turn, so the OCPP error for the last bad frame goes out first.
    setImmediate(() => void this.close(1002, 'too many bad frames'));
  }

  private onClose(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.ctx.metrics.stationDisconnected(this.version, this.securityProfile);
    this.ctx.log.log({ msg: `station ${this.quoted} disconnected (${code}${reason ? ` ${quoteBounded(reason, 80)}` : ''})`, identity: this.identity, code });
    void this.upstream?.close(1000, 'the station disconnected');
    this.ctx.onClosed(this);
  }
}
