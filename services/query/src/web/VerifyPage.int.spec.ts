import { existsSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { chromium, type Browser } from 'playwright-core';
import { FleetSimulator, NO_FAULTS, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { writeSafeXml } from '@metrology-ledger/ocmf';
import { CredentialStore } from '../auth/Credential';
import { createQueryApp } from '../createQueryApp';
import { SessionReadModel } from '../readmodel/SessionReadModel';

// Headless Chromium (Debian's `chromium` package, driven by playwright-core) against the page served
// by the query service: the dataset is verified in the browser, and the page sends nothing anywhere.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let app: INestApplication;
let browser: Browser;
let base: string;
let dataset: OcmfDatasetMessage;
let publicKey: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  const sim = new FleetSimulator({ stations: 1, days: 2, seed: 4, start: Date.UTC(2025, 6, 1), faults: NO_FAULTS });
  dataset = [...sim.days()].flat().find((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset')!;
  publicKey = sim.manifest.registry[0].keys[0].publicKey;
  app = await createQueryApp({ ledger: new Ledger(new SqliteEventStore(':memory:')), sessions: new SessionReadModel(), credentials: new CredentialStore() });
  await app.listen(0, '127.0.0.1');
  base = await app.getUrl();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function check(data: string, key: string) {
  const page = await browser.newPage();
  await page.goto(`${base}/verify`);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.fill('#data', data);
  await page.fill('#key', key);
  await page.click('#check');
  const verdict = (await page.textContent('#verdict')) ?? '';
  const details = (await page.textContent('#details')) ?? '';
  await page.close();
  return { verdict, details, requests };
}

describe('browser verification page', () => {
  it('verifies a CP800 dataset in the browser and sends nothing to any server', async () => {
    const r = await check(dataset.ocmf, publicKey);
    expect(r.verdict).toMatch(/^VALID: signature matches \(ECDSA-secp384r1-SHA256\)/);
    expect(r.details).toMatch(/energy delivered/);
    expect(r.requests).toEqual([]);
  });

  it('reads SAFE XML with its embedded key', async () => {
    const r = await check(writeSafeXml([{ ocmf: dataset.ocmf, publicKey }]), '');
    expect(r.verdict).toMatch(/^VALID/);
  });

  it('says INVALID for a changed value and ERROR for a bad key', async () => {
    const tampered = dataset.ocmf.replace(/("RV":)(\d+)\./, (_m, k: string, v: string) => `${k}${Number(v) + 1}.`);
    expect(tampered).not.toBe(dataset.ocmf);
    expect((await check(tampered, publicKey)).verdict).toMatch(/^INVALID/);
    expect((await check(dataset.ocmf, 'abcd')).verdict).toMatch(/^ERROR: public key unusable/);
  });
});
