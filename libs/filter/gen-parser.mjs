// Generates src/generated/sql92-parser.js and .d.ts from src/sql92.peggy with peggy, formatted with
// the repo's prettier config (so `prettier --check` passes on them). With --check, generates into a
// temporary directory and fails if the checked-in parser differs (grammar and parser drifted).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const grammar = 'libs/filter/src/sql92.peggy';
const checked = path.join(root, 'libs/filter/src/generated');
const check = process.argv.includes('--check');
const tmp = mkdtempSync(path.join(tmpdir(), 'orbitmq-peggy-'));
const files = ['sql92-parser.js', 'sql92-parser.d.ts'];
try {
  const bin = path.join(root, 'node_modules/.bin/peggy');
  const returnTypes = JSON.stringify({ Selector: 'import("../ast").Node' });
  execFileSync(bin, ['--format', 'commonjs', '--dts', '--return-types', returnTypes, '-o', path.join(tmp, files[0]), grammar], { cwd: root, stdio: 'inherit' });
  const options = (await prettier.resolveConfig(path.join(checked, files[0]))) ?? {};
  const want = {};
  for (const f of files) {
    const header = `// Generated from libs/filter/src/sql92.peggy by libs/filter/gen-parser.mjs: do not edit.\n`;
    want[f] = await prettier.format(header + readFileSync(path.join(tmp, f), 'utf8'), { ...options, filepath: path.join(checked, f) });
  }
  if (!check) {
    for (const f of files) writeFileSync(path.join(checked, f), want[f]);
    process.exit(0);
  }
  const problems = files.filter((f) => !existsSync(path.join(checked, f)) || readFileSync(path.join(checked, f), 'utf8') !== want[f]);
  if (problems.length > 0) {
    console.error(
      `the generated SQL92 parser drifted from libs/filter/src/sql92.peggy (regenerate with: npx nx run filter:gen):\n  ${problems.map((f) => `differs: libs/filter/src/generated/${f}`).join('\n  ')}`,
    );
    process.exit(1);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
