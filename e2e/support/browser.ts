import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { REPO_ROOT } from './processes';

/** Debian's chromium (`.ci/run` installs it); ORBITMQ_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.ORBITMQ_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots of the pages, kept for review (CI keeps the directory). */
export const ARTIFACTS_DIR = process.env.ORBITMQ_ARTIFACTS_DIR ?? path.join(REPO_ROOT, 'e2e', 'artifacts', 'dashboard');

/**
 * A headless Chromium driven over CDP by playwright-core. No browser is downloaded: a missing one
 * fails the test with the command that installs it (never a quiet skip).
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set ORBITMQ_CHROMIUM)`);
  }
  const version = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
  process.stdout.write(`# browser: ${version}; playwright-core ${(JSON.parse(fs.readFileSync(require.resolve('playwright-core/package.json'), 'utf8')) as { version: string }).version}\n`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page that are serious or critical (the bar: none). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated over CDP, which the page's CSP (script-src 'self') does not govern; a script tag would be refused.
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
