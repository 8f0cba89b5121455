// Build step of services/query (run by `npm run build` after tsc): puts the driver's verification
// page into dist/web, with libs/ocmf's browser entry bundled once by esbuild, so the service serves
// prebuilt files and a production install needs neither esbuild nor the TypeScript sources.
const { copyFileSync, mkdirSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { buildSync } = require('esbuild');

const root = resolve(__dirname, '..');
const out = join(root, 'dist', 'web');
mkdirSync(out, { recursive: true });
for (const f of ['verify.html', 'verify.js']) copyFileSync(join(root, 'src', 'web', f), join(out, f));
buildSync({
  entryPoints: [resolve(root, '..', '..', 'libs', 'ocmf', 'src', 'browser.ts')],
  bundle: true,
  format: 'iife',
  globalName: 'Ocmf',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  outfile: join(out, 'ocmf-browser.js'),
  logLevel: 'warning',
});
