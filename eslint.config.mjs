// Lint is about architecture first. @nx/enforce-module-boundaries reads two tag dimensions from
// each project.json:
//   scope:*  what a project is about (storage, broker, replication, filter, namesrv, ...): who may use whom;
//   type:*   its layer (app, tool, e2e, host, feature, data-access, util): apps on top, utils at the bottom.
// Scopes for what comes next (replication, filter, ha-replicator, filter-server) are declared now,
// so new projects start inside a rule. Then: metrics and logging libraries only in apps and
// libs/runtime, gRPC only in the broker files that face the wire, and size ceilings.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Libraries only apps (and libs/runtime, which apps use to bind them) may import. */
const APP_ONLY_PACKAGES = ['prom-client', 'winston', 'winston-*', 'yargs', 'yargs-*'];
const NETWORK_PACKAGES = ['@grpc/*', 'express', 'http', 'https', 'http2', 'net', 'node:http', 'node:https', 'node:http2', 'node:net', 'dgram', 'node:dgram'];

const scope = (name, allowed, banned = APP_ONLY_PACKAGES) => ({ sourceTag: `scope:${name}`, onlyDependOnLibsWithTags: allowed.map((s) => `scope:${s}`), bannedExternalImports: banned });
const app = (name, allowed) => ({ sourceTag: `scope:${name}`, onlyDependOnLibsWithTags: allowed.map((s) => `scope:${s}`) });
const layer = (type, allowed) => ({ sourceTag: `type:${type}`, onlyDependOnLibsWithTags: allowed.map((t) => `type:${t}`) });

const depConstraints = [
  // Scope: who may use whom. The store: files and LevelDB only; it reports through events.
  scope('storage', ['pure'], [...APP_ONLY_PACKAGES, ...NETWORK_PACKAGES]),
  scope('pure', ['pure'], [...APP_ONLY_PACKAGES, ...NETWORK_PACKAGES]),
  scope('filter', ['pure'], [...APP_ONLY_PACKAGES, ...NETWORK_PACKAGES]),
  scope('protocol', ['pure']),
  scope('remoting', ['pure'], [...APP_ONLY_PACKAGES]),
  // RocketMQ's plain ACL: accounts, signatures, permissions. Pure checks over a file; no gRPC or HTTP.
  scope('acl', ['protocol', 'pure'], [...APP_ONLY_PACKAGES, ...NETWORK_PACKAGES.filter((p) => p !== 'net' && p !== 'node:net')]),
  scope('rpc', ['protocol', 'pure']),
  // Clients of our own services; admin-client finds brokers through namesrv-client.
  scope('client', ['client', 'protocol', 'rpc', 'remoting', 'acl', 'pure']),
  // The broker's logic sees storage only through its own port (libs/broker/src/store-port.ts).
  scope('broker', ['protocol', 'filter', 'remoting', 'acl', 'pure']),
  // Master -> replica, both ends: sees stores only through its own ports (libs/replication/src/ports.ts).
  scope('replication', ['protocol', 'rpc', 'pure']),
  // The broker process shared by broker-store and ha-replicator (one RocketMQ BrokerController, two
  // roles): app code in a lib, so like an app it may open a store and bind metrics and logs.
  app('broker-host', ['storage', 'broker', 'replication', 'client', 'protocol', 'rpc', 'remoting', 'acl', 'runtime', 'pure']),
  { sourceTag: 'scope:runtime', onlyDependOnLibsWithTags: ['scope:pure'] },
  // Apps: thin composition roots. Only broker-store and ha-replicator may open a store.
  app('broker-store', ['broker-host', 'storage', 'broker', 'replication', 'filter', 'client', 'protocol', 'rpc', 'remoting', 'acl', 'runtime', 'pure']),
  app('ha-replicator', ['broker-host', 'storage', 'broker', 'replication', 'client', 'protocol', 'rpc', 'remoting', 'acl', 'runtime', 'pure']),
  app('filter-server', ['filter', 'client', 'protocol', 'rpc', 'runtime', 'pure']),
  app('namesrv', ['protocol', 'rpc', 'remoting', 'runtime', 'pure']),
  app('tools', ['client', 'protocol', 'rpc', 'remoting', 'acl', 'runtime', 'pure']),
  app('e2e', ['client', 'protocol', 'rpc', 'remoting', 'acl', 'pure']),
  // The dashboard's HTTP side (sessions, guards, JSON routes) and its browser pages (which may
  // import nothing of ours: they only speak HTTP to the dashboard).
  scope('dashboard', ['client', 'acl', 'protocol', 'pure']),
  scope('dashboard-ui', [], [...APP_ONLY_PACKAGES, ...NETWORK_PACKAGES]),
  app('dashboard-app', ['dashboard', 'dashboard-ui', 'client', 'protocol', 'runtime', 'pure']),
  // Type: layers only point down.
  layer('app', ['host', 'feature', 'data-access', 'util', 'ui']),
  layer('host', ['feature', 'data-access', 'util']),
  layer('tool', ['feature', 'util']),
  layer('e2e', ['feature', 'util']),
  layer('feature', ['feature', 'util']),
  layer('data-access', ['data-access', 'feature', 'util']),
  layer('util', ['util']),
  layer('ui', []),
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'data/**', 'libs/protocol/src/generated/**', 'libs/filter/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      // Ceilings at today's longest (a ratchet: lower them as code is split, never raise them).
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      'max-lines': ['error', { max: 450, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // Functions readable in one sitting; tests are exempt (a scenario reads top to bottom).
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'tools/*/src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
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
  {
    // The broker's logic is transport-free; only the files that face the wire see gRPC types.
    files: ['libs/broker/src/**/*.ts'],
    ignores: [
      'libs/broker/src/messaging-service.ts',
      'libs/broker/src/consume/receive-handler.ts',
      'libs/broker/src/consume/pull-handler.ts',
      'libs/broker/src/clients/telemetry-handler.ts',
      'libs/broker/src/clients/client-registry.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@grpc/*'], message: 'gRPC belongs to the wire-facing handlers (see eslint.config.mjs)' }] }],
    },
  },
];
