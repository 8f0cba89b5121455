import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { Ledger, type LedgerEvent } from '@metrology-ledger/ledger';
import { writeOcppSignedMeterValue } from '@metrology-ledger/ocmf';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { Meter, startStandaloneEdge, station } from './testing/ocppStations';

// Real stations' frames end to end on the built services: an ocpp-rpc client as a station (OCPP 1.6
// and 2.0.1, security profile 2) → the edge (standalone) → Kafka `ocpp-frames` → ingest → ledger in
// PostgreSQL. Each signed dataset is recorded as valid, under the frame it came in; a tampered one is
// rejected.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const sentFrame = (sent: string[], action: string, nth = 0) => sent.filter((t) => JSON.parse(t)[2] === action)[nth];

beforeAll(() => ensureKafka());

describe('OCPP stations → built edge → Kafka → built ingest → ledger', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-e2e-'));
  const id16 = `CP-OCPP16-${h.suffix}`;
  const id201 = `CP-OCPP201-${h.suffix}`;
  const meter16 = new Meter();
  const meter201 = new Meter();
  const passwords = { [id16]: `pw16-${randomBytes(12).toString('hex')}`, [id201]: `pw201-${randomBytes(12).toString('hex')}` };
  const clients: RPCClient[] = [];

  afterAll(async () => {
    for (const c of clients) await c.close({ force: true }).catch(() => undefined);
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every signed dataset of both versions as valid under its frame, and rejects the tampered one', async () => {
    await h.prepareEmpty();
    const ledger = new Ledger(h.store);
    await ledger.registerKey({ stationId: id16, publicKey: meter16.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    await ledger.registerKey({ stationId: id201, publicKey: meter201.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    const { url, ca } = await startStandaloneEdge(h, dir, passwords);
    const ingest = h.startIngest();

    // OCPP 1.6: boot, start, a MeterValues with the JSON-string SignedData (key sent along, the
    // registered one), a StopTransaction with a bare OCMF, a MeterValues with a tampered dataset.
    const s16 = station(url, id16, 'ocpp1.6', passwords[id16], ca);
    clients.push(s16.client);
    await s16.client.connect();
    await s16.client.call('BootNotification', { chargePointVendor: 'Test', chargePointModel: 'CP800', firmwareVersion: '1.0.0' });
    const started = (await s16.client.call('StartTransaction', { connectorId: 1, idTag: '04A1B2C3', meterStart: 1500, timestamp: '2025-06-03T07:48:45Z' })) as { transactionId: number };
    const oca = Buffer.from(`oca:base16:asn1:${meter16.publicKey}`).toString('base64');
    const signedJson = JSON.stringify({ signedMeterValue: Buffer.from(meter16.dataset(1, 2.5)).toString('base64'), encodingMethod: 'OCMF', publicKey: oca });
    await s16.client.call('MeterValues', { connectorId: 1, transactionId: started.transactionId, meterValue: [{ timestamp: '2025-06-03T08:00:00Z', sampledValue: [{ value: '2500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: signedJson, format: 'SignedData', context: 'Sample.Periodic' }] }] });
    await s16.client.call('StopTransaction', { transactionId: started.transactionId, meterStop: 3400, timestamp: '2025-06-03T08:48:46Z', transactionData: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [{ value: meter16.dataset(2, 3.4), format: 'SignedData', context: 'Transaction.End' }] }] });
    const tampered = meter16.dataset(3, 4.1).replace('"RV":4.1', '"RV":41');
    await s16.client.call('MeterValues', { connectorId: 1, transactionId: started.transactionId, meterValue: [{ timestamp: '2025-06-03T09:00:00Z', sampledValue: [{ value: tampered, format: 'SignedData', context: 'Sample.Periodic' }] }] });

    // OCPP 2.0.1: boot, a TransactionEvent Started and one Ended with a SignedMeterValueType.
    const s201 = station(url, id201, 'ocpp2.0.1', passwords[id201], ca);
    clients.push(s201.client);
    await s201.client.connect();
    await s201.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'CP800', vendorName: 'Test', firmwareVersion: '1.0.0' } });
    const tx = { transactionId: `tx-${h.suffix}` };
    await s201.client.call('TransactionEvent', { eventType: 'Started', timestamp: '2025-06-03T07:48:45Z', triggerReason: 'Authorized', seqNo: 0, transactionInfo: tx, idToken: { idToken: 'DE8EMA123456789', type: 'eMAID' }, evse: { id: 1, connectorId: 1 } });
    const smv = writeOcppSignedMeterValue(meter201.dataset(1, 7.25), 'ECDSA-secp384r1-SHA256', meter201.publicKey);
    await s201.client.call('TransactionEvent', { eventType: 'Ended', timestamp: '2025-06-03T08:48:46Z', triggerReason: 'StopAuthorized', seqNo: 1, transactionInfo: tx, evse: { id: 1, connectorId: 1 }, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [{ value: 7250, context: 'Transaction.End', signedMeterValue: smv }] }] });

    // The ledger: three datasets recorded as valid, one rejection.
    const recorded = async (stationId: string) => {
      const out: Extract<LedgerEvent, { type: 'DatasetRecorded' }>[] = [];
      for (const s of await ledger.datasetStreams(stationId)) for await (const { event } of ledger.eventsOf(s)) if (event.type === 'DatasetRecorded') out.push(event);
      return out;
    };
    const rejected = async (stationId: string) => {
      const out: Extract<LedgerEvent, { type: 'DatasetRejected' }>[] = [];
      for await (const { event } of ledger.eventsOf(ledger.stationStream(stationId, 'rejections'))) if (event.type === 'DatasetRejected') out.push(event);
      return out;
    };
    const deadline = Date.now() + 60_000;
    await h.waitFor(async () => {
      if (Date.now() > deadline) throw new Error(`the ledger did not get every dataset in time; ingest said:\n${h.outputOf(ingest).slice(-3000)}`);
      return (await recorded(id16)).length >= 2 && (await recorded(id201)).length >= 1 && (await rejected(id16)).length >= 1;
    }, ingest);

    const r16 = (await recorded(id16)).sort((a, b) => Number(a.data.counter) - Number(b.data.counter));
    const [meterValues, stop] = [sentFrame(s16.sent, 'MeterValues', 0), sentFrame(s16.sent, 'StopTransaction')];
    expect(r16.map((e) => e.data)).toEqual([
      expect.objectContaining({ counter: '1', transactionId: String(started.transactionId), connector: 1, verification: expect.objectContaining({ verdict: 'valid' }), receipt: expect.objectContaining({ messageId: `${id16}:${JSON.parse(meterValues)[1]}#0`, messageSha256: sha256(meterValues) }) }),
      expect.objectContaining({ counter: '2', transactionId: String(started.transactionId), verification: expect.objectContaining({ verdict: 'valid' }), receipt: expect.objectContaining({ messageId: `${id16}:${JSON.parse(stop)[1]}#0`, messageSha256: sha256(stop) }) }),
    ]);
    expect(r16[0].data.receipt.source).toMatch(new RegExp(`^kafka:${h.topics.ocppFrames}/\\d@\\d+$`));
    const [r201] = await recorded(id201);
    const ended = sentFrame(s201.sent, 'TransactionEvent', 1);
    expect(r201.data).toMatchObject({ counter: '1', transactionId: tx.transactionId, connector: 1, verification: { verdict: 'valid' }, receipt: { messageId: `${id201}:${JSON.parse(ended)[1]}#0`, messageSha256: sha256(ended) } });
    expect(Buffer.from(smv.signedMeterData, 'base64').toString('utf8')).toBe(r201.data.ocmf);

    const [rejection] = await rejected(id16);
    const tamperedFrame = sentFrame(s16.sent, 'MeterValues', 1);
    expect(rejection.data).toMatchObject({ code: 'invalid-signature', counter: '3', receipt: { messageId: `${id16}:${JSON.parse(tamperedFrame)[1]}#0`, messageSha256: sha256(tamperedFrame) } });
    expect(JSON.parse(rejection.data.raw)).toMatchObject({ kind: 'ocpp-frame', identity: id16, frame: tamperedFrame });
    // Boot notifications and the Started event carry no signed value: nothing else is in the ledger.
    expect(await rejected(id201)).toEqual([]);
  }, 120_000);
});
