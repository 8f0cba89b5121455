import { fieldPath, fieldPathOfPointer } from './fieldPath';

describe('fieldPath', () => {
  it('writes paths as people read them, quoting keys that are not identifiers', () => {
    expect(fieldPath(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('spec.template.spec.containers[0].image');
    expect(fieldPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(fieldPath(['spec', 'jvmOptions', '-Xmx'])).toBe('spec.jvmOptions["-Xmx"]');
  });

  it('reads JSON pointers (ajv instance paths)', () => {
    expect(fieldPathOfPointer('/spec/kafka/listeners/0/authentication/type')).toBe('spec.kafka.listeners[0].authentication.type');
    expect(fieldPathOfPointer('/metadata/annotations/a~1b')).toBe('metadata.annotations["a/b"]');
    expect(fieldPathOfPointer('')).toBe('');
  });
});
