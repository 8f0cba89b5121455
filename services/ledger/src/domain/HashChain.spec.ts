import { chainHash, GENESIS_HASH, verifyChain, type ChainLink } from './HashChain';

function chain(n: number): ChainLink[] {
  const out: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const dataText = JSON.stringify({ i });
    const hash = chainHash(prev, 's', i, 'E', dataText);
    out.push({ streamId: 's', revision: i, type: 'E', dataText, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, events: 5 });
  });

  it('reports the first edited event', () => {
    const c = chain(5);
    c[2] = { ...c[2], dataText: JSON.stringify({ i: 99 }) };
    expect(verifyChain(c)).toMatchObject({ ok: false, revision: 2, reason: expect.stringMatching(/edited/) });
  });

  it('reports a removed or reordered event', () => {
    const c = chain(5);
    expect(verifyChain([c[0], c[1], c[3], c[4]])).toMatchObject({ ok: false, revision: 3 });
    expect(verifyChain([c[0], c[2], c[1]])).toMatchObject({ ok: false });
  });

  it('reports an event re-hashed to hide an edit, at the next event', () => {
    const c = chain(4);
    const dataText = JSON.stringify({ i: 42 });
    c[1] = { ...c[1], dataText, hash: chainHash(c[1].prevHash, 's', 1, 'E', dataText) };
    expect(verifyChain(c)).toMatchObject({ ok: false, revision: 2 });
  });
});
