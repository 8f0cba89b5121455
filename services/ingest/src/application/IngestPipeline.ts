import { createHash } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { LedgerRuleViolation, type Ledger, type LedgerEvent, type Receipt, type RecordStationReport, type VerificationRecord } from '@metrology-ledger/ledger';
import { verifyMetrologyLogEntry } from '@metrology-ledger/metrology-log';
import { defaultVerifier, parsePagination, readContainer, type DatasetEnvelope } from '@metrology-ledger/ocmf';
import { checkStationSentKey } from '../domain/checkStationSentKey';
import { IN_THREAD_VERIFIER, type DatasetVerification, type DatasetVerifier } from './DatasetVerifier';
import { MetrologyLogMessageDto, OcmfDatasetMessageDto, StationFaultMessageDto } from '../domain/IngestMessages';
import { OcppFrameMessageDto } from '../domain/OcppFrameMessageDto';
import { readOcmfDatasetMessage } from '../domain/readOcmfDatasetMessage';
import { readOcppFrame } from '../domain/readOcppFrame';
import { jsonNestingDepth } from '@metrology-ledger/service-runtime';
import { isStationNotification, readStationNotification } from '../domain/readStationNotification';
import { readTransactionFact } from '../domain/readTransactionFact';
import { ReceivedMessage } from '../domain/ReceivedMessage';
import { Rejection, type RejectionCode } from '../domain/Rejection';
import { UNOBSERVED, type IngestObserver } from './IngestObserver';

export const VERIFIER_VERSION = `libs/ocmf 0.1.0 / ${defaultVerifier.name}`;

/** The largest message ingest accepts by default: 1 MiB (UTF-8 bytes). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** How much of a message over the limit the ledger keeps: its first 4 KiB. */
export const DEFAULT_EXCERPT_BYTES = 4 * 1024;
/** The deepest nesting of objects and arrays ingest reads (the message contracts need 3, an OCPP frame about 8). */
export const MAX_JSON_DEPTH = 32;
/** The longest message id used as given; a longer or missing one is replaced by the message's hash. */
const MAX_MESSAGE_ID_CHARS = 200;

export interface IngestPipelineOptions {
  /** Messages over this many bytes are rejected as `too-large`, keeping an excerpt. */
  maxMessageBytes: number;
  /** Bytes of an oversize message kept in its rejection. */
  excerptBytes: number;
  /** Clock for receipts and verification records. */
  now: () => string;
  /** Told how long verifications and appends take and how each message ended (metrics). */
  observer: IngestObserver;
  /** Where signatures are checked: in this thread (default) or on worker threads (VerificationPool). */
  verifier: DatasetVerifier;
}

/** What happened to one message: every message ends in exactly one of these. */
export type IngestOutcome = (
  | { kind: 'recorded'; events: LedgerEvent[] }
  | { kind: 'rejected'; code: RejectionCode; reason: string; events: LedgerEvent[] }
  /** A message that carries nothing the ledger records (an OCPP frame without signed values): `reason` says what it was. */
  | { kind: 'nothing-to-record'; reason: string; events: [] }
) & {
  /** The message id the record holds (the message's own, or `sha256:<hash>` when it has none). */
  messageId: string;
  /** The station the message named (or its transport key), as filed; empty when there is neither (filed unattributed). */
  stationId: string;
};

/** One message on its way through the pipeline, with what it claims before it is validated. */
/** A station's registered keys, newest first, as the ledger's key registry hands them out. */
type RegisteredStationKey = ReturnType<Ledger['keys']['keysOf']>[number];

interface MessageContext {
  message: ReceivedMessage;
  source: string;
  messageId: string;
  /** The station the message names (or the transport key), used to file a rejection. */
  stationId: string;
  /** The content hash the receipt carries when not the whole message's (a dataset of an OCPP frame: the frame's). */
  contentSha256?: string;
  /** The message's place in the order of appends. */
  turn: Turn;
}

/**
 * A message's place in the order of appends: its first write to the ledger waits until every message
 * handed to the pipeline before it has made its first write (or ended without one). Signature checks
 * may finish out of order (worker threads); the ledger still receives the messages in the order the
 * transport delivered them, so per-station order is the partition's.
 */
class Turn {
  private done = false;
  private readonly finished: Promise<void>;
  private end!: () => void;

  constructor(private readonly before: Promise<void>) {
    this.finished = new Promise<void>((r) => (this.end = r));
  }

  /** What the next message waits for. */
  get next(): Promise<void> {
    return this.finished;
  }

  /** Resolves when this message may write. */
  async mayWrite(): Promise<void> {
    if (!this.done) await this.before;
  }

  /** This message has made its first write (or will make none): the next may write. */
  release(): void {
    this.done = true;
    this.end();
  }
}

/** What a dataset is recorded with beside the dataset itself. */
interface DatasetContext {
  transactionId?: string;
  connector?: number;
  emspId?: string;
  /** Findings kept with the verification record (e.g. signedMeterData over OCPP 2.0.1's limit). */
  flags?: string[];
}

/**
 * Turns one transport message into ledger events. Framework-free: the Kafka controller and the
 * embedded transport both call `process`. Nothing is dropped: a message that is too large, does not
 * parse, does not validate, comes from an unknown station or does not verify becomes a DatasetRejected
 * event holding the message (or, over the size limit, an excerpt of it) and the reason. Every receipt
 * carries the SHA-256 of the whole message (its bytes as received), so the ledger skips a redelivery and
 * records another message that reuses an id. Throws only when the ledger's store cannot take the
 * record (store down); anything else that fails on a message becomes an `internal-error` rejection.
 */
export class IngestPipeline {
  private readonly options: IngestPipelineOptions;
  /** The turn of the latest message handed over: the next one's first write waits for it. */
  private lastTurn: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: Ledger,
    options: Partial<IngestPipelineOptions> = {},
  ) {
    this.options = { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, excerptBytes: DEFAULT_EXCERPT_BYTES, now: () => new Date().toISOString(), observer: UNOBSERVED, verifier: IN_THREAD_VERIFIER, ...options };
  }

  /**
   * Processes one message: `received` as the transport handed it over, bytes (Kafka) or text (the
   * embedded transport, taken as its UTF-8 bytes). Resolves with the outcome once the ledger holds the
   * record; rejects only when the ledger's store cannot take the record (to be retried). Any other
   * failure on the message becomes an `internal-error` rejection.
   */
  async process(received: string | Uint8Array, source: string, transportKey?: string): Promise<IngestOutcome> {
    const outcome = await this.decide(received, source, transportKey);
    this.options.observer.processed(outcome);
    return outcome;
  }

  private async decide(received: string | Uint8Array, source: string, transportKey?: string): Promise<IngestOutcome> {
    const turn = new Turn(this.lastTurn);
    this.lastTurn = turn.next;
    try {
      const message = new ReceivedMessage(received);
      // A message that names no station and has no transport key is filed unattributed: '' is no station id.
      const unread: MessageContext = { message, source, messageId: message.contentId, stationId: transportKey ?? '', turn };
      const at = { context: unread };
      try {
        return await this.examine(message, at);
      } catch (e) {
        if (e instanceof StoreFailure) throw e.cause;
        return this.internalError(at.context, unread, e);
      }
    } finally {
      turn.release();
    }
  }

  /**
   * A failure that is not the store's becomes a rejection, so no message blocks its partition: filed
   * under what the message claimed, or, should the ledger refuse that too, under its content id,
   * unattributed. Only the store failing is thrown (and retried).
   */
  private async internalError(claimed: MessageContext, unread: MessageContext, error: unknown): Promise<IngestOutcome> {
    try {
      return await this.reject(claimed, Rejection.internalError(claimed.stationId, error));
    } catch (e) {
      if (e instanceof StoreFailure) throw e.cause;
    }
    const unattributed: MessageContext = { ...unread, stationId: '', contentSha256: undefined };
    try {
      return await this.reject(unattributed, Rejection.internalError('', error));
    } catch (e) {
      throw e instanceof StoreFailure ? e.cause : e;
    }
  }

  private async examine(message: ReceivedMessage, at: { context: MessageContext }): Promise<IngestOutcome> {
    const unread = at.context;
    const { maxMessageBytes, excerptBytes } = this.options;
    if (message.exceeds(maxMessageBytes)) return this.reject(unread, Rejection.tooLarge(unread.stationId, message, maxMessageBytes, excerptBytes));
    const raw = message.text;
    if (raw === undefined) return this.reject(unread, Rejection.notUtf8(unread.stationId, message, excerptBytes));
    if (jsonNestingDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return this.reject(unread, Rejection.tooDeep(unread.stationId, MAX_JSON_DEPTH));
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return this.reject(unread, Rejection.notJson(unread.stationId, (e as Error).message));
    }
    const claims = (typeof json === 'object' && json !== null ? json : {}) as { kind?: unknown; messageId?: unknown; stationId?: unknown; identity?: unknown };
    const named = claims.kind === 'ocpp-frame' ? claims.identity : claims.stationId;
    const delivery: MessageContext = {
      ...unread,
      messageId: typeof claims.messageId === 'string' && claims.messageId.length > 0 && claims.messageId.length <= MAX_MESSAGE_ID_CHARS ? claims.messageId : message.contentId,
      stationId: typeof named === 'string' ? named : unread.stationId,
    };
    at.context = delivery;
    if (claims.kind === 'ocmf-dataset') return this.dataset(delivery, json);
    if (claims.kind === 'metrology-log-entry') return this.logEntry(delivery, json);
    if (claims.kind === 'station-fault') return this.fault(delivery, json);
    if (claims.kind === 'ocpp-frame') return this.ocppFrame(delivery, json);
    return this.reject(delivery, Rejection.unknownKind(delivery.stationId, claims.kind));
  }

  private receipt(d: MessageContext): Receipt {
    return { messageId: d.messageId, receivedAt: this.options.now(), source: d.source, messageSha256: d.contentSha256 ?? d.message.sha256 };
  }

  private async reject(d: MessageContext, rejection: Rejection): Promise<IngestOutcome> {
    const events = await this.append(d, () => this.ledger.recordRejection(rejection.toRecord(d.message, this.receipt(d))));
    return { kind: 'rejected', code: rejection.code, reason: rejection.reason, events, messageId: d.messageId, stationId: d.stationId };
  }

  /** Writes a record; a record the ledger refuses by one of its rules becomes a rejection. */
  private async record(d: MessageContext, write: () => Promise<LedgerEvent[]>, verification?: VerificationRecord): Promise<IngestOutcome> {
    try {
      return { kind: 'recorded', events: await this.append(d, write), messageId: d.messageId, stationId: d.stationId };
    } catch (e) {
      if (e instanceof LedgerRuleViolation) return this.reject(d, Rejection.ledgerRule(d.stationId, e, verification));
      throw e;
    }
  }

  /**
   * One append to the ledger, timed for the observer (only those that succeed: a failure is retried).
   * The ledger refusing the record by a rule is passed on as is; any other failure of the append is
   * the store's, marked so (StoreFailure) to be told from a failure of ingest on the message.
   */
  private async append(d: MessageContext, write: () => Promise<LedgerEvent[]>): Promise<LedgerEvent[]> {
    await d.turn.mayWrite();
    const started = process.hrtime.bigint();
    let events: LedgerEvent[];
    try {
      const written = write();
      d.turn.release();
      events = await written;
    } catch (e) {
      if (e instanceof LedgerRuleViolation) throw e;
      throw new StoreFailure(e);
    }
    this.options.observer.appended(secondsSince(started), events);
    return events;
  }

  /** Runs the signature checks of one message, timed for the observer. */
  private timedVerification<T>(verify: () => T): T {
    const started = process.hrtime.bigint();
    try {
      return verify();
    } finally {
      this.options.observer.verified(secondsSince(started));
    }
  }

  /** The signature checks of one dataset, wherever the verifier runs them, timed for the observer. */
  private async timedKeyTrial(ocmf: string, keys: RegisteredStationKey[]) {
    const started = process.hrtime.bigint();
    try {
      return await this.options.verifier.verify(ocmf, keys.map((k) => k.publicKey));
    } finally {
      this.options.observer.verified(secondsSince(started));
    }
  }

  private async dataset(d: MessageContext, json: unknown): Promise<IngestOutcome> {
    let msg = readOcmfDatasetMessage(json);
    if (!msg) {
      const dto = plainToInstance(OcmfDatasetMessageDto, json);
      const invalid = validateSync(dto);
      if (invalid.length > 0) return this.reject(d, Rejection.contract(d.stationId, problems(invalid)));
      msg = dto;
    }
    const keys = this.ledger.keys.keysOf(msg.stationId);
    if (keys.length === 0) return this.reject(d, Rejection.unknownStation(msg.stationId));
    const container = readContainer(msg.ocmf);
    if (!container.ok) return this.reject(d, Rejection.unreadableDataset(msg.stationId, container.reason));
    if (container.datasets.length !== 1) return this.reject(d, Rejection.datasetCount(msg.stationId, container.datasets.length));
    return this.verifyAndRecord(d, msg.stationId, keys, container.datasets[0], { transactionId: msg.transactionId, connector: msg.connector, emspId: msg.emspId });
  }

  /**
   * One dataset, however it arrived: verified against the station's registered keys (newest first;
   * a dataset signed before a meter replacement verifies with the older key), a key the station sent
   * with it compared with them, then recorded or rejected.
   */
  private async verifyAndRecord(d: MessageContext, stationId: string, keys: RegisteredStationKey[], envelope: DatasetEnvelope, context: DatasetContext): Promise<IngestOutcome> {
    const ocmf = envelope.ocmf;
    const trial = await this.timedKeyTrial(ocmf, keys);
    const first = trial.first;
    const valid = trial.valid && { v: trial.valid.v, key: keys[trial.valid.keyIndex] };
    const flags = context.flags ?? [];
    if (envelope.publicKey !== undefined) {
      const sent = checkStationSentKey(envelope.publicKey, keys.map((k) => k.publicKey));
      if (!sent.ok && sent.problem === 'unreadable') return this.reject(d, Rejection.unreadableSentKey(stationId, sent.reason));
      if (!sent.ok) {
        const v = valid?.v ?? first;
        return this.reject(d, Rejection.keyMismatch(stationId, sent.sent, sent.registered, this.verificationOf(v, flags), v.paginationCounter));
      }
    }
    if (valid) {
      const { v, key } = valid;
      const parsed = v.pagination !== undefined ? parsePagination(v.pagination) : undefined;
      const pg = parsed?.ok ? parsed.pagination : undefined;
      const verification = this.verificationOf(v, flags);
      if (!pg) return this.reject(d, Rejection.noPagination(stationId, verification));
      const write = () =>
        this.ledger.recordDataset({
          stationId,
          publicKey: key.publicKey,
          paginationContext: String(pg.context),
          counter: pg.counter,
          pagination: pg.raw,
          transactionId: context.transactionId,
          connector: context.connector,
          emspId: context.emspId,
          ocmf,
          payloadSha256: v.payloadSha256 ?? sha256(ocmf),
          verification,
          receipt: this.receipt(d),
        });
      return this.record(d, write, verification);
    }
    const v = first;
    const code: RejectionCode = v.verdict === 'invalid' ? 'invalid-signature' : (v.errorCode ?? 'invalid-signature');
    return this.reject(d, Rejection.datasetNotVerified(stationId, code, v.reason, keys.length, this.verificationOf(v, flags), v.paginationCounter));
  }

  /**
   * An OCPP-J frame from services/ocpp-edge: each signed value in it is one dataset, under the message
   * id `<record messageId>#<n>` (n counts the frame's signed values from 0, in order) with the frame's
   * SHA-256 as content hash, so a frame delivered or resent again adds nothing and every dataset of a
   * frame is kept. A frame without signed values has nothing to record.
   */
  private async ocppFrame(d: MessageContext, json: unknown): Promise<IngestOutcome> {
    const msg = plainToInstance(OcppFrameMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(d, Rejection.contract(d.stationId, problems(invalid)));
    if (jsonNestingDepth(msg.frame, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) return this.reject(d, Rejection.tooDeep(msg.identity, MAX_JSON_DEPTH));
    const frameSha256 = sha256(msg.frame);
    if (frameSha256 !== msg.frameSha256.toLowerCase()) return this.reject(d, Rejection.frameHashMismatch(msg.identity, msg.frameSha256, frameSha256));
    const read = readOcppFrame(msg.frame, msg.ocppVersion);
    if (!read.ok) return this.reject(d, Rejection.unreadableFrame(msg.identity, read.reason));
    if (isStationNotification(msg.ocppVersion, read.action)) return this.stationNotification({ ...d, stationId: msg.identity, contentSha256: frameSha256 }, msg, read.action);
    const fact = () => this.transactionFact({ ...d, stationId: msg.identity, contentSha256: frameSha256 }, msg, read.payload);
    if (read.signedValues.length === 0) {
      const recorded = await fact();
      if (recorded) return recorded;
      return { kind: 'nothing-to-record', reason: `${msg.messageType} ${msg.action} without signed meter values`, events: [], messageId: d.messageId, stationId: msg.identity };
    }
    const keys = this.ledger.keys.keysOf(msg.identity);
    const parts: IngestOutcome[] = [];
    for (const [n, found] of read.signedValues.entries()) {
      const part: MessageContext = { ...d, messageId: `${msg.messageId}#${n}`, stationId: msg.identity, contentSha256: frameSha256 };
      if (!found.ok) parts.push(await this.reject(part, Rejection.unreadableSignedValue(msg.identity, msg.action, found.where, found.reason)));
      else if (keys.length === 0) parts.push(await this.reject(part, Rejection.unknownStation(msg.identity)));
      else {
        const { transactionId, connector } = read.context;
        parts.push(await this.verifyAndRecord(part, msg.identity, keys, found.envelope, { transactionId, connector, flags: found.flags }));
      }
    }
    const recorded = await fact();
    if (recorded) parts.push(recorded);
    return frameOutcome(d.messageId, msg.identity, parts);
  }

  /**
   * A station notification (boot, firmware status, security event, log upload) as station history,
   * under the record's message id with the frame's SHA-256, so a redelivery or resend adds nothing;
   * a payload that cannot be used is rejected with the reason, the record kept.
   */
  private async stationNotification(d: MessageContext, msg: OcppFrameMessageDto, action: string): Promise<IngestOutcome> {
    const read = readStationNotification(msg.frame, msg.ocppVersion, msg.identity);
    if (!read.ok) return this.reject(d, Rejection.unusableNotification(msg.identity, action, read.reason));
    const report = { type: read.report.type, data: { ...read.report.data, receipt: this.receipt(d) } } as RecordStationReport;
    return this.record(d, () => this.ledger.recordStationReport(report));
  }

  /**
   * The transaction facts of a frame (`readTransactionFact`: who started which transaction, 2.0.1
   * seqNos), in the station's transaction stream under the record's own message id and the frame's
   * hash, so a redelivery or resend adds nothing; undefined for a frame that carries none.
   */
  private async transactionFact(d: MessageContext, msg: OcppFrameMessageDto, payload: Record<string, unknown>): Promise<IngestOutcome | undefined> {
    const read = readTransactionFact(msg, payload, this.receipt(d));
    if (read === undefined) return undefined;
    if (!read.ok) return this.reject(d, Rejection.unreadableFrame(msg.identity, read.reason));
    return this.record(d, () => this.ledger.recordTransactionFact(read.fact));
  }

  private async logEntry(d: MessageContext, json: unknown): Promise<IngestOutcome> {
    const msg = plainToInstance(MetrologyLogMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(d, Rejection.contract(d.stationId, problems(invalid)));
    const keys = this.ledger.keys.keysOf(msg.stationId).map((k) => k.publicKey);
    const v = this.timedVerification(() => verifyMetrologyLogEntry(msg.entry, keys, { stationId: msg.stationId }));
    if (!v.ok) {
      if (v.code === 'no-key') return this.reject(d, Rejection.unknownStation(msg.stationId));
      const verification: VerificationRecord | undefined =
        v.code === 'invalid-signature' ? { verdict: 'invalid', reason: v.reason, algorithm: msg.entry.algorithm, verifier: v.verifier, verifiedAt: this.options.now() } : undefined;
      return this.reject(d, Rejection.logEntryNotVerified(msg.stationId, v.code, v.reason, verification));
    }
    const verification: VerificationRecord = { verdict: 'valid', reason: v.reason, keyId: v.publicKey, algorithm: msg.entry.algorithm, verifier: v.verifier, verifiedAt: this.options.now() };
    const write = () =>
      this.ledger.recordLogEntry({
        stationId: msg.stationId,
        seq: v.fields.seq,
        time: v.fields.time,
        event: v.fields.event,
        signedText: msg.entry.signedText,
        signature: msg.entry.signature,
        verification,
        receipt: this.receipt(d),
      });
    return this.record(d, write, verification);
  }

  private async fault(d: MessageContext, json: unknown): Promise<IngestOutcome> {
    const msg = plainToInstance(StationFaultMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(d, Rejection.contract(d.stationId, problems(invalid)));
    const write = () =>
      this.ledger.recordFault({
        stationId: msg.stationId,
        faultId: msg.faultId,
        severity: msg.severity,
        hostMessage: msg.hostMessage,
        state: msg.state,
        at: msg.at,
        receipt: this.receipt(d),
      });
    return this.record(d, write);
  }

  /** The verification as the ledger keeps it; `flags` are appended to its reason (`; flagged: …`). */
  private verificationOf(v: DatasetVerification, flags: readonly string[] = []): VerificationRecord {
    const reason = flags.length > 0 ? `${v.reason}; flagged: ${flags.join('; ')}` : v.reason;
    const r: VerificationRecord = { verdict: v.verdict, reason, verifier: VERIFIER_VERSION, verifiedAt: this.options.now() };
    if (v.keyId) r.keyId = v.keyId;
    if (v.algorithm) r.algorithm = v.algorithm;
    return r;
  }
}

/** One outcome for a frame of several datasets: rejected when one is (its code, which dataset), events of all. */
function frameOutcome(messageId: string, stationId: string, parts: IngestOutcome[]): IngestOutcome {
  const events = parts.flatMap((p) => p.events);
  const rejected = parts.filter((p): p is Extract<IngestOutcome, { kind: 'rejected' }> => p.kind === 'rejected');
  if (rejected.length === 0) return { kind: 'recorded', events, messageId, stationId };
  const first = rejected[0];
  const which = parts.length > 1 ? `${rejected.length} of ${parts.length} datasets rejected; ${first.messageId}: ` : '';
  return { kind: 'rejected', code: first.code, reason: `${which}${first.reason}`, events, messageId, stationId };
}

/** The ledger's store failed to take a record: the one failure the pipeline throws (the original error, `cause`). */
class StoreFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('the ledger could not take the record');
    this.name = 'StoreFailure';
  }
}

function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** class-validator's findings as `field.path: rule` sentences. */
function problems(errors: ValidationError[]): string[] {
  const flat = (e: ValidationError, path: string): string[] => [
    ...Object.values(e.constraints ?? {}).map((c) => `${path}${e.property}: ${c}`),
    ...(e.children ?? []).flatMap((c) => flat(c, `${path}${e.property}.`)),
  ];
  return errors.flatMap((e) => flat(e, ''));
}
