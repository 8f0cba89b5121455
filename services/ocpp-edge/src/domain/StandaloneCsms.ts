import type { OcppVersion } from './OcppVersion';
import type { TransactionIdSequence } from './TransactionIdSequence';

/** What the standalone answers depend on besides the call. */
export interface CsmsContext {
  now: Date;
  /** Seconds between heartbeats the station is told in BootNotification. */
  heartbeatIntervalS: number;
  transactionIds: TransactionIdSequence;
}

type Answer = (params: Record<string, unknown>, ctx: CsmsContext) => Record<string, unknown>;

const empty: Answer = () => ({});
const boot: Answer = (_p, ctx) => ({ status: 'Accepted', currentTime: ctx.now.toISOString(), interval: ctx.heartbeatIntervalS });
const heartbeat: Answer = (_p, ctx) => ({ currentTime: ctx.now.toISOString() });
const unknownVendor: Answer = () => ({ status: 'UnknownVendorId' });

/**
 * Standalone mode: the edge answers as a minimal CSMS. Every station is accepted and every token
 * authorised: who owns a session is decided later, by the ledger from the token, not at the plug.
 */
const ANSWERS: Record<OcppVersion, ReadonlyMap<string, Answer>> = {
  '1.6': new Map<string, Answer>([
    ['BootNotification', boot],
    ['Heartbeat', heartbeat],
    ['StatusNotification', empty],
    ['Authorize', () => ({ idTagInfo: { status: 'Accepted' } })],
    ['StartTransaction', (_p, ctx) => ({ idTagInfo: { status: 'Accepted' }, transactionId: ctx.transactionIds.take() })],
    ['StopTransaction', empty],
    ['MeterValues', empty],
    ['SecurityEventNotification', empty],
    ['FirmwareStatusNotification', empty],
    ['SignedFirmwareStatusNotification', empty],
    ['DiagnosticsStatusNotification', empty],
    ['LogStatusNotification', empty],
    ['DataTransfer', unknownVendor],
  ]),
  '2.0.1': new Map<string, Answer>([
    ['BootNotification', boot],
    ['Heartbeat', heartbeat],
    ['StatusNotification', empty],
    ['Authorize', () => ({ idTokenInfo: { status: 'Accepted' } })],
    ['TransactionEvent', (p) => (p.idToken !== undefined ? { idTokenInfo: { status: 'Accepted' } } : {})],
    ['MeterValues', empty],
    ['SecurityEventNotification', empty],
    ['FirmwareStatusNotification', empty],
    ['LogStatusNotification', empty],
    ['NotifyEvent', empty],
    ['NotifyReport', empty],
    ['DataTransfer', unknownVendor],
  ]),
};

/** The actions the standalone edge answers; any other is answered NotImplemented. */
export function standaloneActions(version: OcppVersion): string[] {
  return [...ANSWERS[version].keys()];
}

/** The CALLRESULT payload for a station's call, or undefined when the standalone edge does not handle it. */
export function answerAsCsms(version: OcppVersion, action: string, params: Record<string, unknown>, ctx: CsmsContext): Record<string, unknown> | undefined {
  return ANSWERS[version].get(action)?.(params, ctx);
}
