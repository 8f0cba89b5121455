import { createHash, createPublicKey, verify } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { defaultVerifier, parsePagination, readContainer, verifyOcmf, type Verification } from '@metrology-ledger/ocmf';
import type { Ledger, LedgerEvent, Receipt, VerificationRecord } from '@metrology-ledger/ledger';
import { MetrologyLogMessageDto, OcmfDatasetMessageDto, StationFaultMessageDto } from '../domain/IngestMessages';

export const VERIFIER_VERSION = `libs/ocmf 0.1.0 / ${defaultVerifier.name}`;

/** What happened to one message: every message ends in exactly one of these. */
export type IngestOutcome =
  | { kind: 'recorded'; events: LedgerEvent[] }
  | { kind: 'rejected'; code: string; reason: string; events: LedgerEvent[] };

/**
 * Turns one transport message into ledger events. Framework-free: the Kafka controller and the
 * embedded transport both call `process`. Nothing is dropped: a message that does not parse, does not
 * validate, comes from an unknown station or does not verify becomes a DatasetRejected event holding
 * the message verbatim and the reason.
 */
export class IngestPipeline {
  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  async process(raw: string, source: string, transportKey?: string): Promise<IngestOutcome> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      return this.reject(transportKey, raw, source, `sha256:${sha256(raw)}`, 'bad-message', `message is not JSON: ${(e as Error).message}`);
    }
    const kind = (json as { kind?: unknown })?.kind;
    const messageId = String((json as { messageId?: unknown })?.messageId ?? `sha256:${sha256(raw)}`);
    const stationId = String((json as { stationId?: unknown })?.stationId ?? transportKey ?? 'unknown');
    if (kind === 'ocmf-dataset') return this.dataset(raw, json, source, messageId, stationId);
    if (kind === 'metrology-log-entry') return this.logEntry(raw, json, source, messageId, stationId);
    if (kind === 'station-fault') return this.fault(raw, json, source, messageId, stationId);
    return this.reject(stationId, raw, source, messageId, 'bad-message', `unknown message kind ${JSON.stringify(kind)}`);
  }

  private receipt(messageId: string, source: string): Receipt {
    return { messageId, receivedAt: this.now(), source };
  }

  private async reject(
    stationId: string | undefined,
    raw: string,
    source: string,
    messageId: string,
    code: string,
    reason: string,
    extra: { counter?: string; verification?: VerificationRecord } = {},
  ): Promise<IngestOutcome> {
    const events = await this.ledger.recordRejection({ stationId: stationId ?? 'unknown', reason, code, raw, receipt: this.receipt(messageId, source), ...extra });
    return { kind: 'rejected', code, reason, events };
  }

  private async dataset(raw: string, json: unknown, source: string, messageId: string, stationId: string): Promise<IngestOutcome> {
    const msg = plainToInstance(OcmfDatasetMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(stationId, raw, source, messageId, 'bad-message', describe(invalid));
    const keys = this.ledger.keys.keysOf(msg.stationId);
    if (keys.length === 0) {
      return this.reject(msg.stationId, raw, source, messageId, 'unknown-station', `no key is registered for station ${msg.stationId}`);
    }
    const container = readContainer(msg.ocmf);
    if (!container.ok || container.datasets.length !== 1) {
      const why = container.ok ? `container holds ${container.datasets.length} datasets, one is expected per message` : container.reason;
      return this.reject(msg.stationId, raw, source, messageId, 'unparseable', why);
    }
    const ocmf = container.datasets[0].ocmf;
    // Newest key first; a dataset signed before a meter replacement verifies with the older key.
    let first: Verification | undefined;
    for (const key of keys) {
      const v = verifyOcmf(ocmf, { publicKey: key.publicKey });
      first ??= v;
      if (v.verdict !== 'valid') continue;
      const parsed = v.pagination !== undefined ? parsePagination(v.pagination) : undefined;
      const pg = parsed?.ok ? parsed.pagination : undefined;
      if (!pg) {
        return this.reject(msg.stationId, raw, source, messageId, 'no-pagination', 'dataset verifies but has no readable PG: it cannot be placed in the ledger', {
          verification: record(v),
        });
      }
      const events = await this.ledger.recordDataset({
        stationId: msg.stationId,
        publicKey: key.publicKey,
        paginationContext: String(pg.context),
        counter: pg.counter,
        pagination: pg.raw,
        transactionId: msg.transactionId,
        connector: msg.connector,
        emspId: msg.emspId,
        ocmf,
        payloadSha256: sha256(v.payloadText ?? ocmf),
        verification: record(v),
        receipt: this.receipt(messageId, source),
      });
      return { kind: 'recorded', events };
    }
    const v = first!;
    const code = v.verdict === 'invalid' ? 'invalid-signature' : (v.errorCode ?? 'unverifiable');
    const reason = `${v.reason}${keys.length > 1 ? ` (tried ${keys.length} registered keys)` : ''}`;
    return this.reject(msg.stationId, raw, source, messageId, code, reason, { counter: v.paginationCounter, verification: record(v) });
  }

  private async logEntry(raw: string, json: unknown, source: string, messageId: string, stationId: string): Promise<IngestOutcome> {
    const msg = plainToInstance(MetrologyLogMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(stationId, raw, source, messageId, 'bad-message', describe(invalid));
    let fields: { stationId?: string; seq?: number; time?: string; event?: string };
    try {
      fields = JSON.parse(msg.entry.signedText);
    } catch {
      return this.reject(msg.stationId, raw, source, messageId, 'unparseable', 'metrology-log signedText is not JSON');
    }
    if (fields.stationId !== msg.stationId) {
      return this.reject(msg.stationId, raw, source, messageId, 'station-mismatch', `signed entry names station ${fields.stationId}, the message ${msg.stationId}`);
    }
    const keys = this.ledger.keys.keysOf(msg.stationId);
    if (keys.length === 0) return this.reject(msg.stationId, raw, source, messageId, 'unknown-station', `no key is registered for station ${msg.stationId}`);
    const signature = Buffer.from(msg.entry.signature, 'base64');
    const key = keys.find((k) => {
      try {
        return verify('sha256', Buffer.from(msg.entry.signedText, 'utf8'), createPublicKey({ key: Buffer.from(k.publicKey, 'hex'), format: 'der', type: 'spki' }), signature);
      } catch {
        return false;
      }
    });
    const verification: VerificationRecord = {
      verdict: key ? 'valid' : 'invalid',
      reason: key ? 'signature matches' : 'signature does not match any registered key of the station',
      keyId: key?.publicKey,
      algorithm: msg.entry.algorithm,
      verifier: `node:crypto (OpenSSL ${process.versions.openssl})`,
      verifiedAt: this.now(),
    };
    if (!key) return this.reject(msg.stationId, raw, source, messageId, 'invalid-signature', verification.reason, { verification });
    const events = await this.ledger.recordLogEntry({
      stationId: msg.stationId,
      seq: Number(fields.seq),
      time: String(fields.time),
      event: String(fields.event),
      signedText: msg.entry.signedText,
      signature: msg.entry.signature,
      verification,
      receipt: this.receipt(messageId, source),
    });
    return { kind: 'recorded', events };
  }

  private async fault(raw: string, json: unknown, source: string, messageId: string, stationId: string): Promise<IngestOutcome> {
    const msg = plainToInstance(StationFaultMessageDto, json);
    const invalid = validateSync(msg);
    if (invalid.length > 0) return this.reject(stationId, raw, source, messageId, 'bad-message', describe(invalid));
    const events = await this.ledger.recordFault({
      stationId: msg.stationId,
      faultId: msg.faultId,
      severity: msg.severity,
      hostMessage: msg.hostMessage,
      state: msg.state,
      at: msg.at,
      receipt: this.receipt(messageId, source),
    });
    return { kind: 'recorded', events };
  }
}

function record(v: Verification): VerificationRecord {
  const r: VerificationRecord = { verdict: v.verdict, reason: v.reason, verifier: VERIFIER_VERSION, verifiedAt: new Date().toISOString() };
  if (v.keyId) r.keyId = v.keyId;
  if (v.algorithm) r.algorithm = v.algorithm;
  return r;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function describe(errors: ValidationError[]): string {
  const flat = (e: ValidationError, path: string): string[] => [
    ...Object.values(e.constraints ?? {}).map((c) => `${path}${e.property}: ${c}`),
    ...(e.children ?? []).flatMap((c) => flat(c, `${path}${e.property}.`)),
  ];
  return `message does not match the contract: ${errors.flatMap((e) => flat(e, '')).join('; ')}`;
}
