import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { passwordMatches } from '@orbitmq/dashboard';

const MAIN = path.join(__dirname, '..', 'src', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });

test('no login is only for loopback: dashboardAuth=none on 0.0.0.0 refuses to start (exit 2) with the reason', () => {
  const r = run('--listenHost', '0.0.0.0', '--metricsPort', '-1');
  assert.equal(r.status, 2);
  assert.match(r.stderr + r.stdout, /dashboardAuth=none serves anyone who can reach 0\.0\.0\.0/);
});

test('dashboardAuth=file needs a users file; a bad auth mode is refused', () => {
  const r = run('--dashboardAuth', 'file', '--metricsPort', '-1');
  assert.equal(r.status, 2);
  assert.match(r.stderr + r.stdout, /dashboardAuth=file needs dashboardUsersFile/);
  const bad = run('--dashboardAuth', 'open', '--metricsPort', '-1');
  assert.equal(bad.status, 2);
});

test('--hashPassword prints an scrypt hash the users file accepts', () => {
  const r = run('--hashPassword', 'correct horse');
  assert.equal(r.status, 0);
  const hash = r.stdout.trim();
  assert.match(hash, /^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
  assert.ok(passwordMatches(hash, 'correct horse'));
  assert.ok(!passwordMatches(hash, 'wrong horse'));
});
