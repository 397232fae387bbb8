// Lint is about architecture first: @nx/enforce-module-boundaries keeps storage free of network,
// logging, metrics and CLI packages, and keeps storage out of every app but broker-store and
// ha-replicator. Tags live in each project.json.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'data/**', 'libs/protocol/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              // The store: files and LevelDB only. It reports through events.
              sourceTag: 'scope:storage',
              onlyDependOnLibsWithTags: ['scope:pure'],
              bannedExternalImports: [
                '@grpc/*',
                'prom-client',
                'winston',
                'winston-*',
                'yargs',
                'yargs-*',
                'express',
                'http',
                'https',
                'http2',
                'net',
                'node:http',
                'node:https',
                'node:http2',
                'node:net',
                'dgram',
                'node:dgram',
              ],
            },
            {
              // broker-store and ha-replicator: the only projects that may open a store.
              sourceTag: 'storage:allow',
              onlyDependOnLibsWithTags: ['*'],
            },
            {
              // Everything that is not broker-store or ha-replicator.
              sourceTag: 'storage:deny',
              notDependOnLibsWithTags: ['scope:storage'],
            },
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'] },
          ],
        },
      ],
    },
  },
  {
    // Node built-ins are not in Nx's project graph, so the network ban for storage is spelled out.
    files: ['libs/storage/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'http2', 'node:http2', 'dgram', 'node:dgram', 'tls', 'node:tls'].map(
            (name) => ({ name, message: 'storage does no networking: it emits events, apps own the network' }),
          ),
        },
      ],
    },
  },
];
