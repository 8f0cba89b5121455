import type { Ledger } from '@metrology-ledger/ledger';
import type { SimulationManifest } from '@metrology-ledger/cp800-model';

/** Tests only: the operator's part in a simulation, every station key of the manifest with its validity. */
export async function registerSimulatedKeys(ledger: Ledger, manifest: SimulationManifest): Promise<number> {
  let n = 0;
  for (const station of manifest.registry) {
    for (const k of station.keys) {
      if (await ledger.registerKey({ stationId: station.stationId, publicKey: k.publicKey, validFrom: k.validFrom, ...(k.validTo ? { validTo: k.validTo } : {}) })) n++;
    }
  }
  return n;
}
