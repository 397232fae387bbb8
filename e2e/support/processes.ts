import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file runs from e2e/dist/support). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

const APP_MAIN: Record<string, string> = {
  namesrv: 'apps/namesrv/dist/src/main.js',
  broker: 'apps/broker-store/dist/src/main.js',
  replica: 'apps/ha-replicator/dist/src/main.js',
  'filter-server': 'apps/filter-server/dist/src/main.js',
  dashboard: 'apps/dashboard/dist/src/main.js',
};

/** Longest an app may take to print its ready line. */
const READY_TIMEOUT_MS = 15_000;

export interface AppProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Fields of the app's "ready" log line (grpcPort, metricsPort, ...). */
  readonly ready: Record<string, unknown>;
  /** Every stdout line so far (JSON log lines). */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<AppProcess>();

/** Starts a built app as its own process and resolves once it logs "ready". */
export function startApp(name: keyof typeof APP_MAIN | string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<AppProcess> {
  const main = APP_MAIN[name];
  if (!main) throw new Error(`unknown app ${name}`);
  const child = spawn(process.execPath, [path.join(REPO_ROOT, main), ...args], {
    env: { ...process.env, ORBITMQ_LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  // 'close', not 'exit': once exited, every line it wrote has been read into `lines`.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not become ready in ${READY_TIMEOUT_MS} ms; stderr: ${stderr}; stdout: ${lines.join('\n')}`));
    }, READY_TIMEOUT_MS);
    let partial = '';
    child.stdout?.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        let parsed: Record<string, unknown> | undefined;
        try {
          parsed = JSON.parse(line) as Record<string, unknown>;
        } catch {
          continue;
        }
        if (parsed.message === 'ready') {
          clearTimeout(timer);
          const proc: AppProcess = {
            name,
            child,
            ready: parsed,
            lines,
            exited,
            kill: (signal = 'SIGKILL') => {
              if (child.exitCode === null && child.signalCode === null) child.kill(signal);
              return exited;
            },
          };
          running.add(proc);
          void exited.then(() => running.delete(proc));
          resolve(proc);
        }
      }
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before ready (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

/** Runs an app or tool to completion (for exit-code checks). */
export function runToExit(script: string, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, script), ...args], {
    env: { ...process.env, ORBITMQ_LOG_FORMAT: 'json', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** SIGKILLs whatever a test left running. */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill('SIGKILL')));
}

/**
 * Stops whatever a test left running the way operators do (SIGTERM: graceful), SIGKILLing what
 * is still there after `graceMs`. Brokers then close client connections cleanly.
 */
export async function stopAll(graceMs = 10_000): Promise<void> {
  await Promise.all(
    [...running].map(async (p) => {
      const timer = setTimeout(() => void p.kill('SIGKILL'), graceMs);
      await p.kill('SIGTERM');
      clearTimeout(timer);
    }),
  );
}

export function tmpDir(prefix = 'orbitmq-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function grpcAddress(p: AppProcess): string {
  return `127.0.0.1:${String(p.ready.grpcPort)}`;
}
