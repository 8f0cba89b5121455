/**
 * One OCMF dataset as found in a container, with the key and context the container carried.
 * Every container reader returns these, so verification does not care where a dataset came from.
 */
export interface DatasetEnvelope {
  ocmf: string;
  publicKey?: string;
  /** SAFE XML `transactionId`, OCPI/OCPP context, etc. */
  transactionId?: string;
  context?: string;
}

export type ContainerKind = 'ocmf' | 'safe-xml' | 'ocpp-signed-meter-value' | 'ocpi-signed-data';

export type ContainerRead =
  | { ok: true; kind: ContainerKind; datasets: DatasetEnvelope[] }
  | { ok: false; reason: string };
