import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigVariableLike } from './environment/EnvironmentContract';
import { DeployTreeCopy } from './testing/DeployTreeCopy';
import { runValidatorCli } from './testing/runValidatorCli';

/** The problem codes of a run's lines (`… [code]`). */
const codes = (lines: string[]) => [...new Set(lines.map((l) => /\[([a-z-]+)\]$/.exec(l)?.[1] ?? `unparsed: ${l}`))].sort();

describe('node tools/manifests/dist/main.js', () => {
  it('finds no problem in the real overlays and examples', () => {
    const run = runValidatorCli([]);
    expect(run.problems).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/overlays\/dev, overlays\/prod, examples\/dev-kurrentdb validated; 0 problem/);
  });

  it('fails, saying why, when kubectl is missing (never passes silently)', () => {
    const run = runValidatorCli([], { ...process.env, PATH: '/nonexistent', KUBECTL: '' });
    expect(run.status).toBe(1);
    expect(run.problems).toEqual(expect.arrayContaining([expect.stringMatching(/kubectl not found \(not on PATH\): the overlays cannot be rendered, so nothing was validated.*\[tool-missing\]$/)]));
  });

  it('rejects bad usage', () => {
    expect(runValidatorCli(['--frobnicate']).status).toBe(2);
  });

  describe('a broken copy of deploy/k8s', () => {
    let tree: DeployTreeCopy;
    beforeEach(() => {
      tree = new DeployTreeCopy();
    });
    afterEach(() => tree.dispose());
    const validate = (overlay = 'overlays/prod') => runValidatorCli(['--k8s-dir', tree.k8sDir, tree.path(overlay)]);

    it('is valid before it is broken', () => {
      const run = validate();
      expect(run.problems).toEqual([]);
      expect(run.status).toBe(0);
    });

    it('an unknown field in a Deployment (kubernetes-models ignores it; the strict check does not)', () => {
      tree.write('base/ingest/deployment.yaml', tree.read('base/ingest/deployment.yaml').replace('imagePullPolicy: IfNotPresent', 'imagePullPolcy: IfNotPresent'));
      const run = validate();
      expect(run.status).toBe(1);
      expect(run.problems).toEqual([
        'overlays/prod: Deployment metrology/ingest: spec.template.spec.containers[0].imagePullPolcy: field not defined by the schema of apps/v1 Deployment: misspelled or misplaced? kubectl and the API server would drop it [unknown-field]',
      ]);
    });

    it('an unknown field nested deep in a custom resource of a @kubernetes-models package', () => {
      tree.editYaml('base/ingest/scaledobject.yaml', (doc) => {
        if (doc.get('kind') === 'ScaledObject') doc.setIn(['spec', 'triggers', 0, 'authenticationRef', 'nmae'], 'x');
      });
      const run = validate();
      expect(run.problems).toEqual([expect.stringMatching(/^overlays\/prod: ScaledObject metrology\/ingest: spec\.triggers\[0\]\.authenticationRef\.nmae: field not defined by the schema of keda\.sh\/v1alpha1 ScaledObject.*\[unknown-field\]$/)]);
    });

    it('a misspelled field in a Strimzi KafkaTopic (checked against the CRD, strictly)', () => {
      tree.editYaml('platform/kafka/topics.yaml', (doc) => {
        if (doc.getIn(['metadata', 'name']) === 'ocpp-frames') {
          doc.setIn(['spec', 'replica'], 3);
        }
      });
      const run = validate();
      expect(run.problems).toEqual([expect.stringMatching(/^overlays\/prod: KafkaTopic metrology\/ocpp-frames: spec\.replica: field not defined by the schema of kafka\.strimzi\.io\/v1 KafkaTopic .*\[unknown-field\]$/)]);
    });

    it('a Strimzi value the CRD does not allow, and a version it does not serve', () => {
      tree.editYaml('platform/kafka/users.yaml', (doc, i) => {
        if (i === 0) doc.setIn(['spec', 'authentication', 'type'], 'scram-sha-256');
        if (i === 1) doc.set('apiVersion', 'kafka.strimzi.io/v1beta2');
      });
      const run = validate();
      expect(run.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^overlays\/prod: KafkaUser metrology\/ocpp-edge: spec\.authentication\.type: must be equal to one of the allowed values: "tls", "tls-external", "scram-sha-512" .*\[schema\]$/),
          expect.stringMatching(/^overlays\/prod: KafkaUser metrology\/metrology-ingest: kafka\.strimzi\.io\/v1beta2 is not a version the CRD serves \(served: kafka\.strimzi\.io\/v1\) \[unknown-kind\]$/),
        ]),
      );
    });

    it('a kind no schema defines', () => {
      tree.write('base/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\nspec:\n  size: 3\n');
      tree.write('base/kustomization.yaml', tree.read('base/kustomization.yaml').replace('  - namespace.yaml\n', '  - namespace.yaml\n  - widget.yaml\n'));
      const run = validate();
      expect(run.problems).toEqual([expect.stringMatching(/^overlays\/prod: Widget metrology\/gadget: no schema for example\.com\/v1 Widget .*\[unknown-kind\]$/)]);
    });

    it('a missing probe', () => {
      tree.editYaml('base/query/deployment.yaml', (doc) => doc.deleteIn(['spec', 'template', 'spec', 'containers', 0, 'readinessProbe']));
      const run = validate();
      expect(run.problems).toEqual([
        'overlays/prod: Deployment metrology/query: spec.template.spec.containers[0].readinessProbe: container "query" has no readinessProbe: add one on the service\'s health endpoint (/health/ready) [probe-missing]',
      ]);
    });

    it('an image tagged latest', () => {
      tree.write('overlays/prod/kustomization.yaml', tree.read('overlays/prod/kustomization.yaml').replace(/^    newTag: 0\.1\.0$/m, '    newTag: latest'));
      const run = validate();
      expect(codes(run.problems)).toEqual(['image-not-pinned']);
      expect(run.problems).toEqual(
        expect.arrayContaining([
          'overlays/prod: Deployment metrology/ingest: spec.template.spec.containers[0].image: image "registry.example.com/metrology-ledger/metrology-ledger:latest" uses the tag latest: pin a version or a digest [image-not-pinned]',
        ]),
      );
      expect(run.problems).toHaveLength(3);
    });

    it('a Secret value in base', () => {
      tree.write('base/leaked.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  PGPASSWORD: hunter2\n');
      tree.write('base/kustomization.yaml', tree.read('base/kustomization.yaml').replace('  - namespace.yaml\n', '  - namespace.yaml\n  - leaked.yaml\n'));
      const run = validate();
      expect(codes(run.problems)).toEqual(['secret-value-in-base']);
      expect(run.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^base: Secret metrology\/leaked: a Secret with values in base: base holds no secret values/)]));
    });

    it('a ScaledObject above the partitions of a topic ingest consumes', () => {
      tree.write('base/ingest/scaledobject.yaml', tree.read('base/ingest/scaledobject.yaml').replace('maxReplicaCount: 12', 'maxReplicaCount: 16'));
      tree.editYaml('platform/kafka/topics.yaml', (doc) => {
        if (doc.getIn(['metadata', 'name']) !== 'station-faults') doc.setIn(['spec', 'partitions'], 16);
      });
      const run = validate();
      expect(run.problems).toEqual([
        'overlays/prod: ScaledObject metrology/ingest: spec.maxReplicaCount: ScaledObject ingest allows 16 ingest replicas but topic "station-faults" has 12 partitions: at most 12, or consumers sit idle [scaling-above-partitions]',
      ]);
    });

    it('several replicas without a PodDisruptionBudget, and a workload no NetworkPolicy admits', () => {
      tree.write('base/ocpp-edge/kustomization.yaml', tree.read('base/ocpp-edge/kustomization.yaml').replace('  - pdb.yaml\n', '').replace('  - networkpolicy.yaml\n', ''));
      const run = validate();
      expect(codes(run.problems)).toEqual(['network-policy', 'pdb-missing']);
      expect(run.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^overlays\/prod: Deployment metrology\/ocpp-edge: it runs 2 replicas but no PodDisruptionBudget selects its pods/),
          expect.stringMatching(/^overlays\/prod: Deployment metrology\/ocpp-edge: no NetworkPolicy selects its pods/),
        ]),
      );
    });

    it('a container that may run as root with a writable root file system', () => {
      tree.editYaml('base/ingest/deployment.yaml', (doc) => {
        doc.deleteIn(['spec', 'template', 'spec', 'securityContext', 'runAsNonRoot']);
        doc.deleteIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot']);
        doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'], false);
      });
      const run = validate();
      expect(codes(run.problems)).toEqual(['pod-security']);
      expect(run.problems).toEqual([
        expect.stringMatching(/^overlays\/prod: Deployment metrology\/ingest: spec\.template\.spec\.containers\[0\]\.securityContext\.runAsNonRoot: container "ingest" must run as non-root/),
        expect.stringMatching(/^overlays\/prod: Deployment metrology\/ingest: spec\.template\.spec\.containers\[0\]\.securityContext\.readOnlyRootFilesystem: container "ingest" must set readOnlyRootFilesystem: true/),
      ]);
    });

    it('a YAML style problem (yamllint with deploy/k8s/.yamllint)', () => {
      tree.write('base/namespace.yaml', `${tree.read('base/namespace.yaml')}\n\n`);
      const run = validate();
      expect(run.problems).toEqual([expect.stringMatching(/^deploy\/k8s\/base\/namespace\.yaml:\d+:\d+: error: too many blank lines .*\[lint\]$/)]);
    });
  });

  describe('the drift check, against what the services export', () => {
    it('compares the real services: none of their variables drifts', () => {
      const run = runValidatorCli([]);
      expect(run.problems).toEqual([]);
      expect(run.stderr).not.toMatch(/drift check not done/);
      // The services read the Kafka SASL/TLS variables the manifests set: nothing pending about them.
      expect(run.stderr).not.toMatch(/KAFKA_SASL|KAFKA_SSL_CA_FILE/);
    });

    // Stand-ins for services/*, exporting what libs/service-runtime's configVariablesOf gives.
    const v = (name: string, extra: Partial<ConfigVariableLike> = {}): ConfigVariableLike[] =>
      extra.secret ? [{ name, required: false, secret: true, file: `${name}_FILE`, ...extra }, { name: `${name}_FILE`, required: false, secret: false, fileFor: name }] : [{ name, required: false, secret: false, ...extra }];
    const ledgerStore = ['LEDGER_STORE', 'LEDGER_PG_SCHEMA', 'PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGSSLMODE'].flatMap((n) => v(n)).concat(v('PGPASSWORD', { secret: true }), v('EVENTSTORE_URL', { secret: true }));
    const kafkaAuth = [...v('KAFKA_SASL_MECHANISM'), ...v('KAFKA_SASL_USERNAME'), ...v('KAFKA_SASL_PASSWORD', { secret: true }), ...v('KAFKA_SSL_CA_FILE')];
    const exports: Record<string, [string, ConfigVariableLike[]]> = {
      ingest: ['INGEST_CONFIG_VARIABLES', [...v('KAFKA_BROKERS', { required: true }), ...['KAFKA_GROUP_ID', 'KAFKA_TOPIC_DATASETS', 'KAFKA_TOPIC_METROLOGY_LOG', 'KAFKA_TOPIC_FAULTS', 'INGEST_HEALTH_PORT', 'METRICS_PORT', 'SHUTDOWN_GRACE_MS'].flatMap((n) => v(n)), ...kafkaAuth, ...ledgerStore]],
      query: ['QUERY_CONFIG_VARIABLES', [...v('QUERY_API_KEYS', { required: true, secret: true }), ...v('QUERY_RECEIPT_KEY', { secret: true }), ...['QUERY_PORT', 'QUERY_HOST', 'QUERY_TRUST_PROXY', 'QUERY_READ_MODEL', 'QUERY_PG_SCHEMA', 'METRICS_PORT'].flatMap((n) => v(n)), ...ledgerStore]],
      'ocpp-edge': ['EDGE_CONFIG_VARIABLES', ['EDGE_MODE', 'EDGE_STATIONS_FILE', 'KAFKA_BROKERS'].flatMap((n) => v(n, { required: true })).concat(['EDGE_PORT', 'EDGE_SECURITY_PROFILES', 'EDGE_TLS_CERT', 'EDGE_TLS_KEY', 'EDGE_TLS_CA', 'KAFKA_TOPIC_OCPP_FRAMES', 'EDGE_HEALTH_PORT', 'METRICS_PORT'].flatMap((n) => v(n)), kafkaAuth)],
    };
    let services: string;
    let tree: DeployTreeCopy;
    beforeAll(() => {
      services = mkdtempSync(join(tmpdir(), 'manifests-services-'));
      for (const [name, [exportName, list]] of Object.entries(exports)) {
        mkdirSync(join(services, 'services', name), { recursive: true });
        writeFileSync(join(services, 'services', name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
        const probes = { liveness: '/health/live', readiness: '/health/ready' };
        writeFileSync(join(services, 'services', name, 'index.js'), `exports.${exportName} = ${JSON.stringify(list)};\nexports.${exportName.replace('_CONFIG_VARIABLES', '_HEALTH_PATHS')} = ${JSON.stringify(probes)};\n`);
      }
    });
    afterAll(() => rmSync(services, { recursive: true, force: true }));
    beforeEach(() => {
      tree = new DeployTreeCopy();
    });
    afterEach(() => tree.dispose());
    const validate = () => runValidatorCli(['--k8s-dir', tree.k8sDir, '--repo-root', services, tree.path('overlays/prod')]);

    it('finds the manifests in step with the exported variables', () => {
      const run = validate();
      expect(run.problems).toEqual([]);
      expect(run.stderr).not.toMatch(/drift check not done/);
    });

    it('a probe path the service does not answer', () => {
      tree.editYaml('base/ingest/deployment.yaml', (doc) => {
        doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'httpGet', 'path'], '/healthz');
      });
      expect(validate().problems).toEqual([expect.stringMatching(/Deployment metrology\/ingest: .*livenessProbe asks \/healthz, the service answers \/health\/live \[env-drift\]$/)]);
    });

    it('a variable the service does not read, one it requires that is missing, a secret written out, a port that differs', () => {
      tree.editYaml('base/ingest/deployment.yaml', (doc) => {
        const env = doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']) as { add(v: unknown): void };
        env.add(doc.createNode({ name: 'INGEST_BATCH_SIZE', value: '64' }));
        doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], 9100);
      });
      tree.editYaml('base/ocpp-edge/deployment.yaml', (doc) => {
        const env = doc.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']) as { items: Array<{ get(k: string): unknown }>; delete(i: number): void };
        env.delete(env.items.findIndex((e) => e.get('name') === 'EDGE_STATIONS_FILE'));
      });
      tree.editYaml('base/query/deployment.yaml', (doc) => {
        doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'env', 0], doc.createNode({ name: 'QUERY_API_KEYS', value: 'written-out-key-0123456789=auditor' }));
      });
      const run = validate();
      expect(run.problems).toEqual([
        'overlays/prod: Deployment metrology/ingest: container "ingest" (services/ingest): sets INGEST_BATCH_SIZE, which the service\'s configuration does not read: remove it, or add it to the service\'s configuration [env-drift]',
        'overlays/prod: Deployment metrology/ingest: container "ingest" (services/ingest): INGEST_HEALTH_PORT is 9101, but the container port "health" is 9100 [env-drift]',
        'overlays/prod: Deployment metrology/ocpp-edge: container "ocpp-edge" (services/ocpp-edge): does not set EDGE_STATIONS_FILE, which the service requires [env-drift]',
        'overlays/prod: Deployment metrology/query: container "query" (services/query): QUERY_API_KEYS is a secret and has a literal value here: take it from a Secret (valueFrom.secretKeyRef) or mount it and set QUERY_API_KEYS_FILE [env-drift]',
      ]);
    });
  });
});
