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
  // The chart library is loaded by the pages that draw one (a separate chunk), not by every page.
  outdir: out,
  entryNames: 'app',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  metafile: true,
  // MIT licences (preact, uPlot) travel with the bundle, at its end.
  legalComments: 'eof',
  logLevel: 'warning',
});
// uPlot's stylesheet first (its chart layout), then ours: one local stylesheet, as the CSP allows.
const uplotCss = fs.readFileSync(path.join(root, '..', '..', 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), 'utf8');
fs.writeFileSync(path.join(out, 'app.css'), `${uplotCss}\n${fs.readFileSync(path.join(root, 'src', 'app.css'), 'utf8')}`);
fs.copyFileSync(path.join(root, 'src', 'index.html'), path.join(out, 'index.html'));
const bytes = Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0);
const app = result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('app.js'))].bytes;
console.log(`dashboard-ui: ${out} (app.js ${(app / 1024).toFixed(1)} KiB; all scripts ${(bytes / 1024).toFixed(1)} KiB)`);
