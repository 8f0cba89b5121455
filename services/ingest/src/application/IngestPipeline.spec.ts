import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type SimulationManifest, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore, STATION_ID_RULE, type EventStore, type LedgerEvent, type RecordedEvent } from '@metrology-ledger/ledger';
import { metrologyLogSignedText, type MetrologyLogFields } from '@metrology-ledger/metrology-log';
import { signOcmf } from '@metrology-ledger/ocmf';
import { IngestPipeline, type IngestOutcome } from './IngestPipeline';

// ---- fixtures -------------------------------------------------------------------------------

/** A station with its P-384 key, registered in a fresh in-memory ledger. */
class SigningStation {
  readonly privateKey: KeyObject;
  readonly publicKey: string;

  constructor(readonly stationId: string) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
  }

  register(ledger: Ledger, validFrom = '2025-01-01T00:00:00Z'): Promise<boolean> {
    return ledger.registerKey({ stationId: this.stationId, publicKey: this.publicKey, validFrom });
  }

  /** A dataset signed now (ECDSA: a new signature every time, over the same payload bytes). */
  dataset(counter: string, energy = 3.4567): string {
    const payload = JSON.stringify({
      FV: '1.0',
      GI: 'CP0001',
      PG: `T${counter}`,
      MV: 'Chargepoint Inc.',
      MM: 'CPKM3000',
      MS: 'MjUxMzYyQjAwMDAx',
      IS: true,
      IT: 'ISO14443',
      ID: '1F2D3A4F',
      RD: [
        { TX: 'B', TM: '2025-06-03T07:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: 1.2345, ST: 'G' },
        { TX: 'E', TM: '2025-06-03T08:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: energy, ST: 'G' },
      ],
    });
    return signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp384r1-SHA256' });
  }

  datasetMessage(messageId: string, ocmf: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ kind: 'ocmf-dataset', messageId, stationId: this.stationId, connector: 1, transactionId: 'tx-1', emspId: 'DE-EMP-ALPHA', ocmf, sentAt: '2025-06-03T08:50:00Z', ...extra });
  }

  logMessage(messageId: string, fields: Partial<MetrologyLogFields> = {}, key: KeyObject = this.privateKey): string {
    const signedText = metrologyLogSignedText({ stationId: this.stationId, seq: 1, time: '2025-01-01T07:00:05Z', event: 'MeterTestPassed', metadata: { udid: 'u-1' }, ...fields });
    const signature = sign('sha256', Buffer.from(signedText, 'utf8'), key).toString('base64');
    return JSON.stringify({ kind: 'metrology-log-entry', messageId, stationId: this.stationId, entry: { signedText, signature, algorithm: 'ECDSA-secp384r1-SHA256' } });
  }

  faultMessage(messageId: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ kind: 'station-fault', messageId, stationId: this.stationId, faultId: 'urn:fault:koala:1', severity: 'Minor', hostMessage: 'fan', state: 'raised', at: '2025-01-01T07:00:00Z', ...extra });
  }
}

async function freshLedger(...stations: SigningStation[]) {
  const store = new SqliteEventStore(':memory:');
  const ledger = new Ledger(store);
  for (const s of stations) await s.register(ledger);
  return { store, ledger };
}

async function eventsOf(ledger: Ledger, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of ledger.eventsOf(streamId)) out.push(e);
  return out;
}

const types = (o: IngestOutcome) => o.events.map((e) => e.type);

// ---- a simulated fleet ----------------------------------------------------------------------

function simulate(seed: number) {
  const faults = { ...DEFAULT_FAULTS, drop: 0.05, duplicate: 0.05, reorder: 0.05, delay: 0.05, tamper: 0.04, wrongKey: 0.04, conflict: 0.04, keyReplace: 0.4 };
  const sim = new FleetSimulator({ stations: 6, days: 3, seed, start: Date.UTC(2025, 3, 1), faults });
  const messages: SimulationMessage[] = [];
  for (const day of sim.days()) messages.push(...day);
  return { messages, manifest: sim.manifest };
}

/** The operator's part: every key of the manifest, with its validity. */
async function registerManifestKeys(ledger: Ledger, manifest: SimulationManifest): Promise<void> {
  for (const station of manifest.registry) {
    for (const k of station.keys) await ledger.registerKey({ stationId: station.stationId, publicKey: k.publicKey, validFrom: k.validFrom, ...(k.validTo ? { validTo: k.validTo } : {}) });
  }
}

async function ingestFleet(messages: SimulationMessage[], manifest: SimulationManifest) {
  const { ledger } = await freshLedger();
  await registerManifestKeys(ledger, manifest);
  const pipeline = new IngestPipeline(ledger);
  const outcomes: IngestOutcome[] = [];
  for (const m of messages) outcomes.push(await pipeline.process(serializeMessage(m), 'test', m.stationId));
  const count = (type: LedgerEvent['type']) => outcomes.flatMap((o) => o.events).filter((e) => e.type === type).length;
  return { ledger, pipeline, outcomes, count };
}

describe('IngestPipeline on a simulated fleet', () => {
  const { messages, manifest } = simulate(21);

  it('records the manifest: its rejections, duplicates and conflicts, every message once, hash chains intact', async () => {
    const { ledger, outcomes, count } = await ingestFleet(messages, manifest);
    expect(outcomes.filter((o) => o.kind === 'rejected')).toHaveLength(manifest.expected.rejections.length);
    expect(manifest.expected.rejections.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.events.length > 0)).toBe(true);
    expect(count('DuplicateReceived')).toBe(manifest.expected.duplicates.length);
    expect(count('ConflictReceived')).toBe(manifest.expected.conflicts.length);
    expect(count('MetrologyLogEntryRecorded')).toBe(manifest.counts.logEntries);
    expect((await ledger.verifyChains()).broken).toEqual([]);
  });

  it('ends with the same counts whatever the delivery order, and adds nothing when everything is delivered again', async () => {
    const reversed = [...messages].reverse();
    const { pipeline, count } = await ingestFleet(reversed, manifest);
    expect(count('DuplicateReceived')).toBe(manifest.expected.duplicates.length);
    expect(count('ConflictReceived')).toBe(manifest.expected.conflicts.length);
    for (const m of messages) expect((await pipeline.process(serializeMessage(m), 'redelivery', m.stationId)).events).toEqual([]);
  });
});

// ---- rejections -----------------------------------------------------------------------------

describe('IngestPipeline rejections', () => {
  const station = new SigningStation('CP-000001');
  const dataset = JSON.parse(station.datasetMessage('d1', station.dataset('1')));

  it.each([
    ['not JSON', 'hello', 'bad-message', 'CP-000001'],
    ['an unknown kind', JSON.stringify({ kind: 'weather', messageId: 'w1', stationId: 'CP-000001' }), 'bad-message', 'CP-000001'],
    ['a dataset message missing fields', JSON.stringify({ kind: 'ocmf-dataset', messageId: 'x1', stationId: 'CP-000001' }), 'bad-message', 'CP-000001'],
    ['an unknown station', JSON.stringify({ ...dataset, messageId: 'u1', stationId: 'CP-999999' }), 'unknown-station', 'CP-999999'],
    ['an OCMF string that does not parse', JSON.stringify({ ...dataset, messageId: 'p1', ocmf: 'OCMF|{broken' }), 'malformed-sections', 'CP-000001'],
    ['a payload that is not OCMF at all', JSON.stringify({ ...dataset, messageId: 'p2', ocmf: 'hello' }), 'unparseable', 'CP-000001'],
    ['a dataset signed with a key that is not registered', JSON.stringify({ ...dataset, messageId: 'k1', ocmf: new SigningStation('CP-000001').dataset('2') }), 'invalid-signature', 'CP-000001'],
  ])('records %s as a rejection with its reason, keeping the message verbatim', async (_what, raw, code, stationId) => {
    const { ledger } = await freshLedger(station);
    const out = await new IngestPipeline(ledger).process(raw, 'test', 'CP-000001');
    expect(out).toMatchObject({ kind: 'rejected', code });
    const [e] = await eventsOf(ledger, ledger.stationStream(stationId, 'rejections'));
    expect(e.event).toMatchObject({ type: 'DatasetRejected', data: { code, raw, stationId } });
    expect((e.event.data as { reason: string }).reason.length).toBeGreaterThan(10);
  });

  it('accepts an OCPP 2.0.1 SignedMeterValueType in place of the raw string', async () => {
    const { ledger } = await freshLedger(station);
    const ocpp = JSON.stringify({ signedMeterData: Buffer.from(dataset.ocmf).toString('base64'), signingMethod: '', encodingMethod: 'OCMF', publicKey: '' });
    const out = await new IngestPipeline(ledger).process(JSON.stringify({ ...dataset, ocmf: ocpp }), 'test');
    expect(types(out)).toEqual(['DatasetRecorded']);
  });
});

// ---- finding 1: message identity is id and content --------------------------------------------

describe('IngestPipeline: the same message id with other content', () => {
  it('records a second, different, validly signed dataset under an earlier message id, and skips a true redelivery', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const pipeline = new IngestPipeline(ledger);
    const first = station.datasetMessage('CP-000001:ocmf:1', station.dataset('1'));
    expect(types(await pipeline.process(first, 'test'))).toEqual(['DatasetRecorded']);

    const second = station.datasetMessage('CP-000001:ocmf:1', station.dataset('2'));
    expect(types(await pipeline.process(second, 'test'))).toEqual(['DatasetRecorded']);

    // The first dataset's payload, signed again (a new ECDSA signature), under the same id: a duplicate, not nothing.
    const resigned = station.datasetMessage('CP-000001:ocmf:1', station.dataset('1'));
    expect(types(await pipeline.process(resigned, 'test'))).toEqual(['DuplicateReceived']);
    // The first dataset's bytes under the same id with another eMSP in the envelope: also another message.
    const otherEnvelope = station.datasetMessage('CP-000001:ocmf:1', JSON.parse(first).ocmf, { emspId: 'DE-EMP-BETA' });
    expect(types(await pipeline.process(otherEnvelope, 'test'))).toEqual(['DuplicateReceived']);

    for (const again of [first, second, resigned, otherEnvelope]) expect((await pipeline.process(again, 'redelivery')).events).toEqual([]);
    const [recorded] = await eventsOf(ledger, (await ledger.datasetStreams('CP-000001'))[0]);
    expect((recorded.event.data as { receipt: { messageSha256?: string } }).receipt.messageSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records a station fault and a rejection that reuse an id with other content', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const pipeline = new IngestPipeline(ledger);
    expect(types(await pipeline.process(station.faultMessage('f1'), 'test'))).toEqual(['StationFaultReported']);
    expect(types(await pipeline.process(station.faultMessage('f1', { severity: 'Critical' }), 'test'))).toEqual(['StationFaultReported']);
    expect((await pipeline.process(station.faultMessage('f1'), 'redelivery')).events).toEqual([]);
    expect(types(await pipeline.process(station.faultMessage('f2', { state: 'sideways' }), 'test'))).toEqual(['DatasetRejected']);
    expect(types(await pipeline.process(station.faultMessage('f2', { state: 'upside-down' }), 'test'))).toEqual(['DatasetRejected']);
  });
});

// ---- finding 2: size limit --------------------------------------------------------------------

describe('IngestPipeline: the size limit', () => {
  it('rejects a 10.5 MB message as too-large, keeping a 4 KiB excerpt, its size and the hash of the whole', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const pipeline = new IngestPipeline(ledger);
    const huge = station.datasetMessage('big-1', station.dataset('1'), { padding: 'é'.repeat(5_250_000) });
    const out = await pipeline.process(huge, 'test', 'CP-000001');
    expect(out).toMatchObject({ kind: 'rejected', code: 'too-large' });
    expect(out.kind === 'rejected' && out.reason).toContain('at most 1048576 bytes');
    const [e] = await eventsOf(ledger, ledger.stationStream('CP-000001', 'rejections'));
    const data = e.event.data as { raw: string; rawTruncated?: boolean; rawBytes?: number; rawSha256?: string; receipt: { messageSha256?: string } };
    expect(data.rawTruncated).toBe(true);
    expect(data.rawBytes).toBe(Buffer.byteLength(huge));
    expect(data.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(data.receipt.messageSha256).toBe(data.rawSha256);
    expect(Buffer.byteLength(data.raw)).toBeLessThanOrEqual(4096);
    expect(huge.startsWith(data.raw)).toBe(true);
    expect(e.dataText.length).toBeLessThan(8 * 1024);
    expect((await pipeline.process(huge, 'redelivery', 'CP-000001')).events).toEqual([]);
  });

  it('takes its limit from the options and accepts a message at the limit', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const message = station.datasetMessage('d1', station.dataset('1'));
    const bytes = Buffer.byteLength(message);
    expect(await new IngestPipeline(ledger, { maxMessageBytes: bytes - 1 }).process(message, 'test')).toMatchObject({ kind: 'rejected', code: 'too-large' });
    expect(types(await new IngestPipeline(ledger, { maxMessageBytes: bytes }).process(message, 'test'))).toEqual(['DatasetRecorded']);
  });
});

// ---- finding 3: one station-id rule ------------------------------------------------------------

describe('IngestPipeline: the station-id rule', () => {
  it.each([
    ['a control character', 'CP-\u0000001'],
    ['a slash', 'CP/000001'],
    ['a path', '../CP-000001'],
    ['a newline', 'CP-000001\n'],
    ['nothing', ''],
    ['101 characters', 'C'.repeat(101)],
  ])('records a dataset whose station id holds %s as a rejection citing the rule, in the unattributed stream', async (_what, stationId) => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const raw = JSON.stringify({ ...JSON.parse(station.datasetMessage('s1', station.dataset('1'))), stationId });
    const out = await new IngestPipeline(ledger).process(raw, 'test', 'CP-000001');
    expect(out).toMatchObject({ kind: 'rejected', code: 'bad-message' });
    expect(out.kind === 'rejected' && out.reason).toContain(`stationId: ${STATION_ID_RULE}`);
    const [e] = await eventsOf(ledger, ledger.unattributedRejectionsStream());
    expect(e.event.data).toMatchObject({ raw, stationId });
  });

  it('applies the rule to log entries and faults too', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const pipeline = new IngestPipeline(ledger);
    const log = JSON.stringify({ ...JSON.parse(station.logMessage('l1')), stationId: 'CP 000001' });
    const fault = JSON.stringify({ ...JSON.parse(station.faultMessage('f1')), stationId: 'CP/1' });
    for (const raw of [log, fault]) expect(await pipeline.process(raw, 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', reason: expect.stringContaining(STATION_ID_RULE) });
    expect(await eventsOf(ledger, ledger.unattributedRejectionsStream())).toHaveLength(2);
  });
});

// ---- finding 5: metrology-log entries through libs/metrology-log -------------------------------

describe('IngestPipeline: metrology-log entries', () => {
  it('records an entry signed with an older registered key, naming that key', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const replacement = new SigningStation('CP-000001');
    await replacement.register(ledger, '2025-03-01T00:00:00Z');
    const out = await new IngestPipeline(ledger).process(station.logMessage('l1', { seq: 7, event: 'ClockSync', metadata: null }), 'test');
    expect(types(out)).toEqual(['MetrologyLogEntryRecorded']);
    expect(out.events[0].data).toMatchObject({ seq: 7, event: 'ClockSync', verification: { verdict: 'valid', keyId: station.publicKey } });
    expect((out.events[0].data as { verification: { reason: string } }).verification.reason).toContain('registered key 2 of 2');
  });

  it.each([
    ['signed text that is not JSON', (s: SigningStation) => JSON.stringify({ ...JSON.parse(s.logMessage('l2')), entry: { ...JSON.parse(s.logMessage('l2')).entry, signedText: 'oops' } }), 'not-json', /not JSON/],
    ['an entry signed for another station', (s: SigningStation) => JSON.stringify({ ...JSON.parse(s.logMessage('l3')), stationId: 'CP-000002' }), 'station-mismatch', /names station "CP-000001", the message station "CP-000002"/],
    ['an entry whose signature matches no registered key', (s: SigningStation) => s.logMessage('l4', {}, new SigningStation('x').privateKey), 'invalid-signature', /does not match the registered key/],
    ['an event the manual does not list', (s: SigningStation) => s.logMessage('l5', { event: 'Party' as never }), 'not-an-entry', /event must be one of/],
  ])('rejects %s with a reason a person can act on', async (_what, make, code, reason) => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    await new SigningStation('CP-000002').register(ledger);
    const out = await new IngestPipeline(ledger).process(make(station), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code });
    expect(out.kind === 'rejected' && out.reason).toMatch(reason);
  });
});

// ---- finding 6: reasons ----------------------------------------------------------------------

describe('IngestPipeline: reasons', () => {
  it('quotes outside text bounded', async () => {
    const { ledger } = await freshLedger();
    const out = await new IngestPipeline(ledger).process(JSON.stringify({ kind: 'x'.repeat(100_000), messageId: 'k1', stationId: 'CP-1' }), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'bad-message' });
    expect(out.kind === 'rejected' && out.reason.length).toBeLessThan(200);
    const notJson = await new IngestPipeline(ledger).process(`{${'y'.repeat(100_000)}`, 'test');
    expect(notJson.kind === 'rejected' && notJson.reason.length).toBeLessThan(300);
  });

  it('records a dataset the ledger refuses by a rule as a rejection naming the rule, instead of failing for ever', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger } = await freshLedger(station);
    const out = await new IngestPipeline(ledger).process(station.datasetMessage('c1', station.dataset(`1${'0'.repeat(200)}`)), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'ledger-rule' });
    expect(out.kind === 'rejected' && out.reason).toMatch(/^the ledger refuses it \(rule counter\): a pagination counter is a decimal integer of at most 200 digits/);
    expect(out.kind === 'rejected' && out.reason.length).toBeLessThan(400);
  });

  it('throws when the store cannot take the record, so the caller retries; nothing is recorded as a reason', async () => {
    const station = new SigningStation('CP-000001');
    const { ledger, store } = await freshLedger(station);
    const failing: EventStore = Object.assign(Object.create(Object.getPrototypeOf(store)) as EventStore, store, {
      append: async () => {
        throw new Error('connection refused');
      },
    });
    const down = new Ledger(failing);
    await down.loadKeys();
    await expect(new IngestPipeline(down).process(station.datasetMessage('d1', station.dataset('1')), 'test')).rejects.toThrow('connection refused');
    await expect(new IngestPipeline(down).process('hello', 'test', 'CP-000001')).rejects.toThrow('connection refused');
    expect(await ledger.stationsWith('rejections')).toEqual([]);
  });
});
