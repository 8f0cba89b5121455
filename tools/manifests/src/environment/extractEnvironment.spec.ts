import { compliantDeployment, containerOf } from '../testing/fixtures';
import { extractEnvironment, serviceOfContainer } from './extractEnvironment';

describe('extractEnvironment', () => {
  it('lists each container’s variables with their sources, and the service it runs', () => {
    const d = compliantDeployment('ingest', {
      env: [
        { name: 'KAFKA_BROKERS', value: 'k:9093' },
        { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-pg-app', key: 'password' } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    });
    containerOf(d).envFrom = [{ configMapRef: { name: 'extra' } }];
    expect(extractEnvironment([d])).toEqual([
      {
        resource: 'Deployment metrology/ingest',
        container: 'ingest',
        service: 'ingest',
        variables: [
          { name: 'KAFKA_BROKERS', source: { kind: 'value', value: 'k:9093' } },
          { name: 'PGPASSWORD', source: { kind: 'secret', name: 'ledger-pg-app', key: 'password' } },
          { name: 'POD', source: { kind: 'field', fieldPath: 'metadata.name' } },
        ],
        envFrom: ['ConfigMap extra'],
      },
    ]);
  });

  it('recognises our services by the entry point they run', () => {
    expect(serviceOfContainer({ name: 'x', command: ['node', 'services/ocpp-edge/dist/main.js'] })).toBe('ocpp-edge');
    expect(serviceOfContainer({ name: 'x', args: ['node', '/app/services/query/dist/main.js'] })).toBe('query');
    expect(serviceOfContainer({ name: 'kurrentdb' })).toBeUndefined();
  });
});
