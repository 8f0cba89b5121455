import type { SimulationMessage } from './SimulationMessage';

const q = JSON.stringify;

/**
 * One message as a JSON line, written field by field: the same text JSON.stringify gives (same key
 * order), at about half the cost, which matters at millions of messages.
 */
export function serializeMessage(m: SimulationMessage): string {
  switch (m.kind) {
    case 'ocmf-dataset':
      return `{"kind":"ocmf-dataset","messageId":${q(m.messageId)},"stationId":${q(m.stationId)},"connector":${m.connector},"transactionId":${q(m.transactionId)},"emspId":${q(m.emspId)},"ocmf":${q(m.ocmf)},"sentAt":${q(m.sentAt)}}`;
    case 'metrology-log-entry':
      return `{"kind":"metrology-log-entry","messageId":${q(m.messageId)},"stationId":${q(m.stationId)},"entry":{"signedText":${q(m.entry.signedText)},"signature":${q(m.entry.signature)},"algorithm":${q(m.entry.algorithm)}},"sentAt":${q(m.sentAt)}}`;
    default:
      return q(m);
  }
}
