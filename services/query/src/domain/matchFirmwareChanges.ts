/** A boot that reported another firmware version than the boot before it (services/ledger's `previousFirmwareVersion`). */
export interface FirmwareChange {
  /** When the ledger received the boot (receipt time). */
  reportedAt: string;
  from: string;
  to: string;
  /** The boot's record id (`<identity>:<OCPP message id>`). */
  messageId: string;
}

/** A signed `FirmwareInstalled` entry of the station's metrology log. */
export interface FirmwareInstalledEntry {
  seq: number;
  time: string;
  /** Its metadata as signed: the CP800 writes the previous LRS version (`LRSHash: …, LRSVersion: 1.0.0`). */
  metadata: unknown;
}

export type MatchedFirmwareChange = FirmwareChange & { logEntry: { seq: number; time: string } | null };

/**
 * The version a FirmwareInstalled entry says was replaced. The CP800 manual's table of log entries:
 * FirmwareInstalled, "La mise à jour OTA est terminée sur la borne", data "Version LRS précédente",
 * shown as the text `LRSHash: 09b265e1dc, LRSVersion: 1.0.0`; an object `{ "LRSVersion": … }` is read too.
 */
export function replacedVersion(metadata: unknown): string | undefined {
  if (typeof metadata === 'object' && metadata !== null && typeof (metadata as { LRSVersion?: unknown }).LRSVersion === 'string') return (metadata as { LRSVersion: string }).LRSVersion;
  if (typeof metadata !== 'string') return undefined;
  return /(?:^|[\s,{])"?LRSVersion"?\s*:\s*"?([^",\s}]+)/.exec(metadata)?.[1];
}

/**
 * Pairs every firmware change a station reported at boot (OCPP BootNotification) with a signed
 * metrology-log FirmwareInstalled entry that names the version replaced, each entry used once, in
 * receipt order of the changes and log order of the entries. A change left without an entry is one
 * the legally relevant log does not account for: the auditor is shown it. Assumes the station
 * reports its LRS version as the OCPP firmware version (the CP800's OCMF `GV` names both:
 * `lrs_ver: 1.0.0, sw_rel: …`). Work is changes × entries of the same version, both bounded by the caller.
 */
export function matchFirmwareChanges(changes: readonly FirmwareChange[], installed: readonly FirmwareInstalledEntry[]): MatchedFirmwareChange[] {
  const byVersion = new Map<string, FirmwareInstalledEntry[]>();
  for (const e of [...installed].sort((a, b) => a.seq - b.seq)) {
    const version = replacedVersion(e.metadata);
    if (version === undefined) continue;
    const list = byVersion.get(version) ?? [];
    list.push(e);
    byVersion.set(version, list);
  }
  return changes.map((c) => {
    const entry = byVersion.get(c.from)?.shift();
    return { ...c, logEntry: entry ? { seq: entry.seq, time: entry.time } : null };
  });
}
