import { stat, readFile } from 'node:fs/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';
import { EDGE_LOGGER, type EdgeLogger } from '../application/EdgeLogger';
import { EDGE_CONFIG, type EdgeConfig } from '../config/EdgeConfig';
import { StationRegistry, type StationEntry } from '../domain/StationRegistry';

/** Checked at most this often for changes. */
const RECHECK_MS = 1_000;

/**
 * The stations file, re-read when it changes (so `add-station` takes effect without a restart).
 * A changed file that no longer parses is reported and the last good version stays in use.
 */
@Injectable()
export class StationRegistryFile implements OnModuleInit {
  private registry = StationRegistry.empty();
  private mtimeMs = -1;
  private checkedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(EDGE_LOGGER) private readonly log: EdgeLogger,
  ) {}

  /** Loaded before the edge listens, so no handshake ever sees an empty registry. */
  async onModuleInit(): Promise<void> {
    await this.reloadIfChanged();
  }

  /** The station's entry; a lookup during a reload is answered from the version read before. */
  async lookup(identity: string): Promise<StationEntry | undefined> {
    if (Date.now() - this.checkedAt >= RECHECK_MS) {
      this.loading ??= this.reloadIfChanged().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.registry.get(identity);
  }

  private async reloadIfChanged(): Promise<void> {
    const path = this.config.stationsFile;
    this.checkedAt = Date.now();
    try {
      const s = await stat(path);
      if (s.mtimeMs === this.mtimeMs) return;
      const first = this.mtimeMs < 0;
      this.mtimeMs = s.mtimeMs; // a broken version is reported once, not at every handshake
      const next = StationRegistry.parse(await readFile(path, 'utf8'), path);
      this.registry = next;
      this.log.log(`${first ? 'loaded' : 'reloaded'} ${next.size} station(s) from ${path}`);
    } catch (e) {
      this.log.error(`stations file ${quoteBounded(path, 200)} cannot be used, keeping the ${this.registry.size} station(s) read before: ${quoteBounded((e as Error).message, 300)}`);
    }
  }
}
