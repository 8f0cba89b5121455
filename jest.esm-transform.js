// Jest transform for ESM-only packages under node_modules (@nestjs/terminus 12): jest on Node 20
// cannot require() an ES module, so esbuild rewrites the package's files to CommonJS, with
// `import.meta.url` / `.dirname` / `.resolve` mapped to their CommonJS counterparts. Tests only; the
// built service loads the package through Node's own require(esm).
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
      define: { 'import.meta.url': '__esm_import_meta_url', 'import.meta.dirname': '__dirname', 'import.meta.resolve': 'require.resolve' },
      banner: 'var __esm_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
    });
    return { code, map };
  },
};
