import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the page's files are: dist/web in a build (prebuilt by build/webAssets.js), src/web in tests. */
export const VERIFY_PAGE_DIR = join(__dirname);

/**
 * libs/ocmf's browser entry (pure-JS verifier, no Node APIs) as `window.Ocmf` for the verification
 * page. A build ships it prebuilt beside this file; run from the sources (tests), it is bundled in
 * memory with esbuild, a development dependency.
 */
export function buildOcmfBrowserBundle(): string {
  const prebuilt = join(VERIFY_PAGE_DIR, 'ocmf-browser.js');
  if (existsSync(prebuilt)) return readFileSync(prebuilt, 'utf8');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const entry = resolve(__dirname, '..', '..', '..', '..', 'libs', 'ocmf', 'src', 'browser.ts');
  const result = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'Ocmf', platform: 'browser', target: 'es2020', minify: true, write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}
