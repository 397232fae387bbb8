// Bundles the dashboard's pages into dist/public (one script, one stylesheet, index.html), for
// apps/dashboard to serve. Everything is local: no CDN, no web fonts. Prints the bundle's size
// so a growing page shows up in the build log.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(new URL(import.meta.url).pathname);
const out = path.join(root, 'dist', 'public');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const result = await esbuild.build({
  entryPoints: [path.join(root, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: path.join(out, 'app.js'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
fs.copyFileSync(path.join(root, 'src', 'app.css'), path.join(out, 'app.css'));
fs.copyFileSync(path.join(root, 'src', 'index.html'), path.join(out, 'index.html'));
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
console.log(`dashboard-ui: ${out} (app.js ${(bytes / 1024).toFixed(1)} KiB)`);
