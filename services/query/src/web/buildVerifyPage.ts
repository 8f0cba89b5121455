import { buildSync } from 'esbuild';
import { join, resolve } from 'node:path';

/**
 * Bundles libs/ocmf's browser entry (pure-JS verifier, no Node APIs) as `window.Ocmf` for the
 * verification page. Built in memory when the service starts; nothing generated is committed.
 */
export function buildOcmfBrowserBundle(): string {
  const entry = resolve(__dirname, '..', '..', '..', '..', 'libs', 'ocmf', 'src', 'browser.ts');
  const result = buildSync({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'Ocmf', platform: 'browser', target: 'es2020', minify: true, write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}

export const VERIFY_PAGE_DIR = join(__dirname);
