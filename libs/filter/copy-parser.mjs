// tsc does not emit the generated parser (plain .js): copy it, with its .d.ts, next to the compiled sources.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lib = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(lib, 'dist/src/generated');
mkdirSync(out, { recursive: true });
for (const f of ['sql92-parser.js', 'sql92-parser.d.ts']) copyFileSync(path.join(lib, 'src/generated', f), path.join(out, f));
