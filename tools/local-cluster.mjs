#!/usr/bin/env node
// `npm start`: builds and starts a local cluster (name server + broker) with data under ./data.
// The apps arrive with the name-server and broker issues; until then this says so and exits 0.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apps = ['namesrv', 'broker-store'].filter((a) => existsSync(path.join(root, 'apps', a, 'project.json')));
if (apps.length === 0) {
  console.log('OrbitMQ: no apps yet (the storage engine is built; name server and broker come next).');
  console.log('Try: npm test, or npx nx run storage:bench');
  process.exit(0);
}
