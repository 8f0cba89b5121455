import { secret } from '../testing/fixtures';
import { checkSecretValues, DUMMY_SECRET_LABEL } from './checkSecretValues';

describe('checkSecretValues', () => {
  it('allows no value at all in base, not even a labelled dummy', () => {
    expect(checkSecretValues([secret('s', { k: 'v' }, { [DUMMY_SECRET_LABEL]: 'true' })], 'base', 'base').map((p) => p.code)).toEqual(['secret-value-in-base']);
    expect(checkSecretValues([secret('s', undefined)], 'base', 'base')).toEqual([]);
  });

  it('allows only labelled development dummies in an overlay', () => {
    expect(checkSecretValues([secret('s', { k: 'v' }, { [DUMMY_SECRET_LABEL]: 'true' })], 'overlays/dev', 'overlay')).toEqual([]);
    expect(checkSecretValues([secret('s', { k: 'v' })], 'overlays/prod', 'overlay').map((p) => p.message)).toEqual([expect.stringMatching(/real secret values never go into the repository/)]);
  });
});
