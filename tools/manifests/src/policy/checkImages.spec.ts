import { compliantDeployment, containerOf } from '../testing/fixtures';
import { checkImages, imageReference } from './checkImages';

describe('imageReference', () => {
  it('splits name, tag and digest, registry ports included', () => {
    expect(imageReference('localhost:5000/metrology-ledger:0.1.0')).toEqual({ name: 'localhost:5000/metrology-ledger', tag: '0.1.0', digest: undefined });
    expect(imageReference('localhost:5000/metrology-ledger')).toEqual({ name: 'localhost:5000/metrology-ledger', tag: undefined, digest: undefined });
    expect(imageReference('ghcr.io/a/b:1@sha256:abc')).toEqual({ name: 'ghcr.io/a/b', tag: '1', digest: 'sha256:abc' });
  });
});

describe('checkImages', () => {
  const withImage = (image: string) => {
    const d = compliantDeployment('query');
    containerOf(d).image = image;
    return checkImages([d], 't').map((p) => p.message);
  };

  it('accepts a version tag or a digest', () => {
    expect(withImage('registry.example.com/metrology-ledger:0.1.0')).toEqual([]);
    expect(withImage('registry.example.com/metrology-ledger@sha256:0123')).toEqual([]);
  });

  it('rejects latest and no tag at all', () => {
    expect(withImage('registry.example.com/metrology-ledger:latest')).toEqual([expect.stringMatching(/uses the tag latest/)]);
    expect(withImage('localhost:5000/metrology-ledger')).toEqual([expect.stringMatching(/has no tag \(that means latest\)/)]);
  });
});
