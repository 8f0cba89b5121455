import { fieldPath } from '../fieldPath';
import { recordFieldReads } from './recordFieldReads';

/** A validator written the way ajv compiles one: it looks up each property its schema defines. */
function validateContainer(data: Record<string, unknown>): void {
  void data.name;
  void data.image;
  const env = data.env as Array<Record<string, unknown>> | undefined;
  if (Array.isArray(env)) for (let i = 0; i < env.length; i++) void [env[i].name, env[i].value];
  const labels = data.labels as Record<string, unknown> | undefined;
  if (labels) for (const k in labels) void labels[k];
}

describe('recordFieldReads', () => {
  it('names the fields a validator never read, at any depth', () => {
    const r = recordFieldReads({ name: 'a', imagePullPolcy: 'Always', env: [{ name: 'X', value: '1', valeu: '2' }], labels: { a: 'b' } });
    validateContainer(r.proxy);
    expect(r.unread().map(fieldPath)).toEqual(['imagePullPolcy', 'env[0].valeu']);
  });

  it('reports an object whose keys are all unknown (the validator looked, found none)', () => {
    const r = recordFieldReads({ nmae: 'a' });
    validateContainer(r.proxy);
    expect(r.unread().map(fieldPath)).toEqual(['nmae']);
  });

  it('leaves alone objects the validator never looked into (free-form in the schema)', () => {
    const r = recordFieldReads({ name: 'a', image: 'i', free: { anything: 1 } });
    const data = r.proxy as Record<string, unknown>;
    void [data.name, data.image, data.free];
    expect(r.unread()).toEqual([]);
  });

  it('does not change the document', () => {
    const doc = { a: [1, { b: 2 }] };
    const r = recordFieldReads(doc);
    expect(JSON.parse(JSON.stringify(r.proxy))).toEqual(doc);
  });
});
