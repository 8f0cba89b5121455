import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readContainer } from './containers/readContainer';
import type { DatasetEnvelope } from './containers/DatasetEnvelope';
import { NobleVerifier } from './crypto/NobleVerifier';
import { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
import { verifyOcmf } from './verifyOcmf';

/**
 * Every dataset of the shared corpus (../shared/ocmf-corpus/real, walked, so new files are picked up)
 * and of the published fixtures (test/fixtures/manifest.json) must get its expected verdict from both
 * verifiers.
 */
const repoRoot = resolve(__dirname, '..', '..', '..');
const corpusDir = [process.env.OCMF_CORPUS_DIR, resolve(repoRoot, '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find(
  (d): d is string => !!d && existsSync(d),
);
const fixturesDir = resolve(__dirname, '..', 'test', 'fixtures');
const verifiers = [new NodeCryptoVerifier(), new NobleVerifier()];

interface Case {
  name: string;
  env: DatasetEnvelope;
  expected: string;
}

function corpusCases(): Case[] {
  if (!corpusDir) return [];
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(join(corpusDir, f), 'utf8'));
      return { name: f, env: { ocmf: c.ocmf, publicKey: c.public_key }, expected: c.expected };
    });
}

function fixtureCases(): Case[] {
  const manifest = JSON.parse(readFileSync(join(fixturesDir, 'manifest.json'), 'utf8'));
  return manifest.fixtures.flatMap((fx: { file: string; expected: string[] }) => {
    const text = readFileSync(join(fixturesDir, fx.file), 'utf8');
    let datasets: DatasetEnvelope[];
    if (fx.file.endsWith('.json')) {
      const c = JSON.parse(text);
      datasets = [{ ocmf: c.ocmf, publicKey: c.public_key }];
    } else {
      const read = readContainer(text);
      if (!read.ok) throw new Error(`${fx.file}: ${read.reason}`);
      datasets = read.datasets;
    }
    if (datasets.length !== fx.expected.length) throw new Error(`${fx.file}: ${datasets.length} datasets, ${fx.expected.length} expectations`);
    return datasets.map((env, i) => ({ name: `${fx.file}#${i + 1}`, env, expected: fx.expected[i] }));
  });
}

describe('shared OCMF corpus', () => {
  it('is present (set OCMF_CORPUS_DIR if it lives elsewhere)', () => {
    expect(corpusDir).toBeDefined();
    expect(corpusCases().length).toBeGreaterThanOrEqual(3);
  });

  describe.each(verifiers.map((v) => [v.name, v] as const))('with %s', (_n, verifier) => {
    it.each(corpusCases().map((c) => [c.name, c] as const))('%s gets its expected verdict', (_name, c) => {
      const v = verifyOcmf(c.env.ocmf, { publicKey: c.env.publicKey, verifier });
      expect(v.verdict).toBe(c.expected);
      expect(v.reason).not.toBe('');
    });
  });
});

describe('published conformance fixtures', () => {
  describe.each(verifiers.map((v) => [v.name, v] as const))('with %s', (_n, verifier) => {
    it.each(fixtureCases().map((c) => [c.name, c] as const))('%s gets its expected verdict', (_name, c) => {
      expect(verifyOcmf(c.env.ocmf, { publicKey: c.env.publicKey, verifier }).verdict).toBe(c.expected);
    });
  });
});
