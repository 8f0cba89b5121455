// ESLint here enforces the workspace's dependency direction with Nx's module-boundary rule (tags in
// each package.json's "nx" section); it is not a style linter. `npm run lint`, run by .ci/run.
//   type:lib      libs/*: depend only on other libs, never on a service or a tool
//   type:service  services/*: libs and other services, through a package's public entry only
//   type:tool     tools/*: anything (development tooling, end-to-end tests; never in an image)
//   scope:simulation  the CP800 simulator: services' production code must not import it (tests may)
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

const constraints = (serviceMayUseSimulator) => [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  {
    sourceTag: 'type:service',
    onlyDependOnLibsWithTags: ['type:lib', 'type:service'],
    ...(serviceMayUseSimulator ? {} : { notDependOnLibsWithTags: ['scope:simulation'] }),
  },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:service', 'type:tool'] },
];

const boundaries = (serviceMayUseSimulator) => ['error', { allow: [], banTransitiveDependencies: false, depConstraints: constraints(serviceMayUseSimulator) }];

module.exports = [
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '.data/**', '.kafka/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  {
    // What a service ships: everything but its tests, test support and benchmarks.
    files: ['services/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**', '**/*Contract.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(false) },
  },
];
