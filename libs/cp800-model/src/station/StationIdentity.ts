import type { SeededRandom } from '../SeededRandom';

export type ConnectorId = 1 | 2;
/** Socket outlet (no cable correction) or tethered cable (5 m / 7.5 m, 23 000 µΩ), station manual Annexe A. */
export type CableKind = 'socket' | 'tethered';
export const CABLE_RESISTANCE_UOHM: Record<CableKind, number> = { socket: 0, tethered: 23000 };

/** What identifies a CP800 and what it writes into its OCMF datasets (GI, GV, MV, MM, MS, MF). */
export interface StationIdentity {
  stationId: string;
  /** Station serial, used as GI. */
  serial: string;
  meterModel: 'CPKM3000';
  meterVendor: 'Chargepoint Inc.';
  /** MID meter serial, e.g. 251362B00001. */
  meterSerial: string;
  /** Meter part number written after the serial in MS. */
  meterPartNumber: string;
  /** Meter firmware digest (MF is `scf <base64>`). */
  meterFirmwareDigest: Uint8Array;
  lrsVersion: string;
  /** Hash of the legally relevant software, hex. */
  lrsHash: string;
  controllerVersion: string;
  connectors: ConnectorId[];
  cable: CableKind;
  phases: 1 | 3;
  /** Station current limit set by the installation, 6–32 A. */
  maxCurrentA: number;
}

export function generateIdentity(rng: SeededRandom, index: number): StationIdentity {
  const connectors: ConnectorId[] = rng.chance(0.6) ? [1, 2] : [1];
  return {
    stationId: `CP-${String(index + 1).padStart(6, '0')}`,
    serial: `CP${String(index + 1).padStart(4, '0')}${rng.digits(6)}`,
    meterModel: 'CPKM3000',
    meterVendor: 'Chargepoint Inc.',
    meterSerial: `${rng.digits(6)}B${rng.digits(5)}`,
    meterPartNumber: '31-002700-04-01',
    meterFirmwareDigest: rng.bytes(32),
    lrsVersion: '1.0.0',
    lrsHash: Buffer.from(rng.bytes(32)).toString('hex'),
    controllerVersion: '2024.05.00.423',
    connectors,
    cable: rng.chance(0.5) ? 'tethered' : 'socket',
    phases: rng.chance(0.85) ? 3 : 1,
    maxCurrentA: rng.pick([16, 20, 25, 32]),
  };
}

/** MS as the CP800 writes it: base64 of the serial NUL-padded to 16 bytes, `|`, the part number. */
export function encodedMeterSerial(id: StationIdentity): string {
  const serial = Buffer.alloc(16);
  serial.write(id.meterSerial, 'ascii');
  return Buffer.concat([serial, Buffer.from(`|${id.meterPartNumber}`, 'ascii')]).toString('base64');
}
