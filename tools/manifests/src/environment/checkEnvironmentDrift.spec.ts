import { formatProblem } from '../formatProblem';
import { compliantDeployment, containerOf } from '../testing/fixtures';
import { checkEnvironmentDrift } from './checkEnvironmentDrift';
import { contractFromConfigVariables, type EnvironmentContract } from './EnvironmentContract';

// As services/ingest exports it (libs/service-runtime's ConfigVariable[]), cut down.
const ingest: EnvironmentContract = contractFromConfigVariables([
  { name: 'KAFKA_BROKERS', required: true, secret: false },
  { name: 'INGEST_HEALTH_PORT', required: false, secret: false },
  { name: 'METRICS_PORT', required: false, secret: false },
  { name: 'PGHOST', required: false, secret: false },
  { name: 'PGPASSWORD', required: false, secret: true, file: 'PGPASSWORD_FILE' },
  { name: 'PGPASSWORD_FILE', required: false, secret: false, fileFor: 'PGPASSWORD' },
]);
const contracts = new Map([['ingest', ingest]]);
const ports = (health: number, metrics = 9464) => [
  { name: 'health', containerPort: health },
  { name: 'metrics', containerPort: metrics },
];
const valid = () => {
  const d = compliantDeployment('ingest', {
    env: [
      { name: 'KAFKA_BROKERS', value: 'k:1' },
      { name: 'INGEST_HEALTH_PORT', value: '9101' },
      { name: 'METRICS_PORT', value: '9464' },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-pg-app', key: 'password' } } },
      { name: 'NODE_EXTRA_CA_CERTS', value: '/ca.crt' },
    ],
  });
  containerOf(d).ports = ports(9101);
  return d;
};
const env = (d: ReturnType<typeof valid>) => containerOf(d).env as Array<Record<string, unknown>>;

describe('checkEnvironmentDrift', () => {
  it('accepts variables the service reads and Node’s own, secrets from Secrets, ports as declared', () => {
    expect(checkEnvironmentDrift([valid()], 't', contracts, {})).toEqual({ problems: [], uncompared: [], notes: [] });
  });

  it('reports a variable the service does not read, and a required one missing', () => {
    const d = valid();
    env(d).push({ name: 'INGEST_BATCH', value: '1' });
    env(d).splice(0, 1);
    expect(checkEnvironmentDrift([d], 'overlays/dev', contracts, {}).problems.map(formatProblem)).toEqual([
      'overlays/dev: Deployment metrology/ingest: container "ingest" (services/ingest): sets INGEST_BATCH, which the service\'s configuration does not read: remove it, or add it to the service\'s configuration [env-drift]',
      'overlays/dev: Deployment metrology/ingest: container "ingest" (services/ingest): does not set KAFKA_BROKERS, which the service requires [env-drift]',
    ]);
  });

  it('reports a secret with a literal value, and takes its file twin as set', () => {
    const d = valid();
    env(d)[3] = { name: 'PGPASSWORD', value: 'hunter2' };
    expect(checkEnvironmentDrift([d], 't', contracts, {}).problems.map((p) => p.message)).toEqual([
      'container "ingest" (services/ingest): PGPASSWORD is a secret and has a literal value here: take it from a Secret (valueFrom.secretKeyRef) or mount it and set PGPASSWORD_FILE',
    ]);
  });

  it('requires each port setting, equal to the container port it names', () => {
    const d = valid();
    containerOf(d).ports = ports(9100);
    env(d).splice(2, 1);
    expect(checkEnvironmentDrift([d], 't', contracts, {}).problems.map((p) => p.message)).toEqual([
      'container "ingest" (services/ingest): INGEST_HEALTH_PORT is 9101, but the container port "health" is 9100',
      'container "ingest" (services/ingest): does not set METRICS_PORT: set it to 9464, the container port "metrics", so the process listens where the pod says',
    ]);
  });

  it('reports envFrom (names the drift check cannot see) and probe paths the service does not answer', () => {
    const d = valid();
    containerOf(d).envFrom = [{ secretRef: { name: 'all' } }];
    containerOf(d).readinessProbe = { httpGet: { path: '/ready', port: 'health' } };
    const withProbes = new Map([['ingest', { ...ingest, probes: { liveness: '/health/live', readiness: '/health/ready' } }]]);
    expect(checkEnvironmentDrift([d], 't', withProbes, {}).problems.map((p) => p.message)).toEqual([
      'container "ingest" (services/ingest): takes variables from Secret all (envFrom): their names are not in the manifests; list each under env',
      'container "ingest" (services/ingest): readinessProbe asks /ready, the service answers /health/ready',
    ]);
  });

  it('notes variables set ahead of the service instead of failing, and says when the service caught up', () => {
    const d = valid();
    env(d).push({ name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' });
    const pending = { ingest: { KAFKA_SASL_MECHANISM: 'Kafka SCRAM', KAFKA_BROKERS: 'was pending' } };
    expect(checkEnvironmentDrift([d], 't', contracts, pending)).toEqual({
      problems: [],
      uncompared: [],
      notes: [
        'services/ingest now reads KAFKA_BROKERS: remove it from tools/manifests/src/environment/pendingVariables.ts',
        'services/ingest does not read KAFKA_SASL_MECHANISM yet; the manifests set it ahead of the service (Kafka SCRAM)',
      ],
    });
  });

  it('names the containers of services without a contract instead of comparing them', () => {
    expect(checkEnvironmentDrift([compliantDeployment('query')], 't', contracts).uncompared).toEqual(['Deployment metrology/query (query)']);
  });
});
