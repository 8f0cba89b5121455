// Containerfile, runtime-deps stage: gathers what the final image ships into /ship — the services'
// workspace packages and, following their "dependencies", every workspace package they need (each
// one's package.json and dist/), plus the production node_modules. New libraries are picked up
// without editing the Containerfile.
//   node ship-workspaces.js <out> <workspace dir>…
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [out, ...roots] = process.argv.slice(2);
if (!out || roots.length === 0) {
  process.stderr.write('usage: node ship-workspaces.js <out> <workspace dir>…\n');
  process.exit(2);
}
const shipped = new Set();
const todo = [...roots];
while (todo.length > 0) {
  const dir = path.normalize(todo.pop());
  if (shipped.has(dir)) continue;
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (!fs.existsSync(path.join(dir, 'dist'))) throw new Error(`${dir} has no dist/: was it built?`);
  shipped.add(dir);
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    const link = path.join('node_modules', dep);
    // A workspace package is a link into the repository; anything else is an ordinary dependency.
    if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) todo.push(path.relative(process.cwd(), fs.realpathSync(link)));
  }
}
for (const dir of [...shipped].sort()) {
  fs.mkdirSync(path.join(out, dir), { recursive: true });
  fs.copyFileSync(path.join(dir, 'package.json'), path.join(out, dir, 'package.json'));
  fs.cpSync(path.join(dir, 'dist'), path.join(out, dir, 'dist'), { recursive: true });
  process.stdout.write(`ships ${dir}\n`);
}
fs.copyFileSync('package.json', path.join(out, 'package.json'));
fs.cpSync('node_modules', path.join(out, 'node_modules'), { recursive: true, verbatimSymlinks: true });
// Links npm made to workspaces that are not shipped (the simulator, the tools) would dangle: drop them.
const scope = path.join(out, 'node_modules', '@metrology-ledger');
for (const name of fs.existsSync(scope) ? fs.readdirSync(scope) : []) {
  const link = path.join(scope, name);
  if (!fs.existsSync(link)) fs.rmSync(link);
}
