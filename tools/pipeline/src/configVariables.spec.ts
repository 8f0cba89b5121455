import { INGEST_CONFIG_VARIABLES } from '@metrology-ledger/ingest';
import { QUERY_CONFIG_VARIABLES } from '@metrology-ledger/query';

// The deployment manifests' drift check (tools/manifests) imports these lists from the services'
// public entries; this project's jest, like that one, has no transform for ESM-only packages, so the
// lists must load without the health endpoints' @nestjs/terminus.
describe("the services' environment variables, from their public entries", () => {
  it('names the ports and probes the manifests set, and what each service requires', () => {
    const names = (list: { name: string }[]) => list.map((v) => v.name);
    expect(names(INGEST_CONFIG_VARIABLES)).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'INGEST_HEALTH_PORT', 'METRICS_PORT', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS', 'PGPASSWORD', 'PGPASSWORD_FILE']));
    expect(names(QUERY_CONFIG_VARIABLES)).toEqual(expect.arrayContaining(['QUERY_API_KEYS', 'QUERY_API_KEYS_FILE', 'QUERY_PORT', 'QUERY_HOST', 'METRICS_PORT', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS']));
    expect(INGEST_CONFIG_VARIABLES.filter((v) => v.required).map((v) => v.name)).toEqual(['KAFKA_BROKERS']);
    expect(QUERY_CONFIG_VARIABLES.filter((v) => v.required).map((v) => v.name)).toEqual(['QUERY_API_KEYS']);
    for (const list of [INGEST_CONFIG_VARIABLES, QUERY_CONFIG_VARIABLES]) {
      expect(new Set(names(list)).size).toBe(list.length);
      for (const v of list.filter((x) => x.file)) expect(list).toContainEqual({ name: v.file, required: false, secret: false, fileFor: v.name });
    }
  });
});
