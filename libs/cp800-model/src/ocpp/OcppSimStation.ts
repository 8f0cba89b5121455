import type { StationIdentity } from '../station/StationIdentity';
import type { OcmfDatasetMessage, SimulationMessage } from '../sim/SimulationMessage';
import { faultCallOf, securityEventOf, sessionFactsOf, signedSampledValue, type OcppVersion } from './ocppPayloads';
import { OcppStationLink, type OcppLinkOptions, type SentFrame } from './OcppStationLink';

/** A frame put on the wire, with the simulator message it carries (a dataset, a log entry, a fault), if any. */
export interface OcppFrameSent extends SentFrame {
  carries?: string;
}

/**
 * A simulated CP800 speaking OCPP-J: turns the simulator's deliveries into what the station sends a
 * CSMS. On its first message it connects and boots. A dataset opens its session when the session is
 * not known yet (1.6 StartTransaction, whose `transactionId` the CSMS assigns; 2.0.1 TransactionEvent
 * Started, seqNo 0, and Updated, seqNo 1, with the register at the start) and ends it with the signed
 * dataset (1.6 StopTransaction `transactionData`; 2.0.1 TransactionEvent Ended, seqNo 2). A further
 * delivery of the same session (the simulator's duplicate, conflicting or forged dataset) goes as a
 * MeterValues with the signed value. Metrology-log entries go as SecurityEventNotification, faults as
 * 1.6 StatusNotification or 2.0.1 NotifyEvent.
 */
export class OcppSimStation {
  private readonly link: OcppStationLink;
  private opened = false;
  /** Sessions already opened: `<connector>|<simulator transaction id>` → the OCPP transaction id. */
  private readonly transactions = new Map<string, number | string>();
  private readonly carried = new Map<string, string>();
  private carrying: string | undefined;
  private eventId = 0;

  constructor(
    private readonly identity: StationIdentity,
    private readonly version: OcppVersion,
    link: OcppLinkOptions,
    onFrame: (frame: OcppFrameSent) => void,
  ) {
    this.link = new OcppStationLink(identity.stationId, link, (f) => {
      if (f.sends === 1 && this.carrying !== undefined) this.carried.set(f.ocppMessageId, this.carrying);
      const carries = this.carried.get(f.ocppMessageId);
      onFrame(carries === undefined ? f : { ...f, carries });
    });
  }

  async deliver(message: SimulationMessage): Promise<void> {
    if (!this.opened) await this.boot();
    if (message.kind === 'ocmf-dataset') await this.dataset(message);
    else if (message.kind === 'metrology-log-entry') await this.send('SecurityEventNotification', securityEventOf(message), message.messageId);
    else {
      const { action, params } = faultCallOf(this.version, message, ++this.eventId);
      await this.send(action, params, message.messageId);
    }
  }

  async close(): Promise<void> {
    if (this.opened) await this.link.close();
  }

  private async boot(): Promise<void> {
    await this.link.open();
    this.opened = true;
    const id = this.identity;
    if (this.version === '1.6') {
      await this.send('BootNotification', { chargePointVendor: 'ChargePoint', chargePointModel: 'CP800', chargePointSerialNumber: id.serial, firmwareVersion: id.lrsVersion, meterType: id.meterModel, meterSerialNumber: id.meterSerial });
    } else {
      await this.send('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'CP800', vendorName: 'ChargePoint', serialNumber: id.serial, firmwareVersion: id.lrsVersion } });
    }
  }

  private async send(action: string, params: Record<string, unknown>, carries?: string): Promise<Record<string, unknown>> {
    this.carrying = carries;
    try {
      return (await this.link.call(action, params)).result;
    } finally {
      this.carrying = undefined;
    }
  }

  private async dataset(m: OcmfDatasetMessage): Promise<void> {
    const key = `${m.connector}|${m.transactionId}`;
    const facts = sessionFactsOf(m.ocmf, m.sentAt);
    const known = this.transactions.get(key);
    if (known !== undefined) {
      const value = signedSampledValue(this.version, m.ocmf, 'Transaction.End', facts.meterStopWh);
      const params =
        this.version === '1.6'
          ? { connectorId: m.connector, transactionId: known, meterValue: [{ timestamp: facts.endedAt, sampledValue: [value] }] }
          : { evseId: m.connector, meterValue: [{ timestamp: facts.endedAt, sampledValue: [value] }] };
      await this.send('MeterValues', params, m.messageId);
      return;
    }
    if (this.version === '1.6') {
      const started = await this.send('StartTransaction', { connectorId: m.connector, idTag: facts.idTag, meterStart: facts.meterStartWh, timestamp: facts.beganAt });
      const transactionId = started.transactionId as number;
      this.transactions.set(key, transactionId);
      await this.send(
        'StopTransaction',
        {
          transactionId,
          idTag: facts.idTag,
          meterStop: facts.meterStopWh,
          timestamp: facts.endedAt,
          reason: 'EVDisconnected',
          transactionData: [{ timestamp: facts.endedAt, sampledValue: [signedSampledValue('1.6', m.ocmf, 'Transaction.End', facts.meterStopWh)] }],
        },
        m.messageId,
      );
      return;
    }
    const transactionInfo = { transactionId: m.transactionId };
    const evse = { id: m.connector, connectorId: 1 };
    this.transactions.set(key, m.transactionId);
    const energy = (wh: number, context: string) => ({ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } });
    await this.send('TransactionEvent', { eventType: 'Started', timestamp: facts.beganAt, triggerReason: 'Authorized', seqNo: 0, transactionInfo: { ...transactionInfo, chargingState: 'EVConnected' }, idToken: { idToken: facts.idTag, type: 'ISO14443' }, evse });
    await this.send('TransactionEvent', { eventType: 'Updated', timestamp: facts.beganAt, triggerReason: 'ChargingStateChanged', seqNo: 1, transactionInfo: { ...transactionInfo, chargingState: 'Charging' }, evse, meterValue: [{ timestamp: facts.beganAt, sampledValue: [energy(facts.meterStartWh, 'Transaction.Begin')] }] });
    await this.send(
      'TransactionEvent',
      {
        eventType: 'Ended',
        timestamp: facts.endedAt,
        triggerReason: 'EVCommunicationLost',
        seqNo: 2,
        transactionInfo: { ...transactionInfo, chargingState: 'Idle', stoppedReason: 'EVDisconnected' },
        evse,
        meterValue: [{ timestamp: facts.endedAt, sampledValue: [signedSampledValue('2.0.1', m.ocmf, 'Transaction.End', facts.meterStopWh)] }],
      },
      m.messageId,
    );
  }
}
