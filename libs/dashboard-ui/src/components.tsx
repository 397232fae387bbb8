import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, del } from './api';

/**
 * Loads `load()` on mount, whenever `deps` change and, with `refreshMs`, again every refreshMs
 * while the page is open (live pages); renders its error instead of stale data.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs = 0): { data?: T; error?: Error; reload: () => void; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (refreshMs <= 0) return undefined;
    const t = setInterval(() => setTick((n) => n + 1), refreshMs);
    return () => clearInterval(t);
  }, [...deps, refreshMs]);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as Error;
  return (
    <div class="error" role="alert">
      {e instanceof ApiError ? `${e.code}: ${e.message}` : e.message}
    </div>
  );
}

/** "Copy as mqadmin": every write shows the command that does the same. */
export function Mqadmin({ cmd }: { cmd?: string }) {
  if (!cmd) return null;
  return (
    <div class="cmd">
      <span class="muted">as mqadmin:</span>
      <code data-testid="mqadmin">{cmd}</code>
      <button type="button" class="secondary" onClick={() => void navigator.clipboard?.writeText(cmd)}>
        Copy
      </button>
    </div>
  );
}

export function Table({ head, rows, caption }: { head: string[]; rows: ComponentChildren[][]; caption?: string }) {
  return (
    <table>
      {caption ? <caption class="muted">{caption}</caption> : null}
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, j) => (
              <td key={j}>{c}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Server-side paging: "N things; showing a-b" and Previous / Next. */
export function Pager({ total, offset, size, noun, onOffset }: { total: number; offset: number; size: number; noun: string; onOffset: (o: number) => void }) {
  return (
    <>
      <p class="muted">
        {total} {noun}; showing {total ? offset + 1 : 0}-{Math.min(offset + size, total)}
      </p>
      <button type="button" class="secondary" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - size))}>
        Previous
      </button>{' '}
      <button type="button" class="secondary" disabled={offset + size >= total} onClick={() => onOffset(offset + size)}>
        Next
      </button>
    </>
  );
}

export const time = (ms: number): string => (ms ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : '');

/** 95000 -> "1 m 35 s"; under a second -> "0 s"; days and hours for long ones. */
export function duration(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3_600), 'h'],
    [Math.floor((s % 3_600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first < 0) return '0 s';
  return parts
    .slice(first, first + 2)
    .map(([n, unit]) => `${n} ${unit}`)
    .join(' ');
}

/** A small line of values, oldest first (SVG: no script, no inline style, CSP-clean). */
export function Sparkline({ values, label, width = 120, height = 24 }: { values: number[]; label: string; width?: number; height?: number }) {
  if (values.length < 2) return <span class="muted">{values.length ? values[0] : '—'}</span>;
  const max = Math.max(...values, 1);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${values[0]} to ${values[values.length - 1]}`}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}

/** The brokers that did not answer, named above what is shown without them (never counted as zero). */
export function Failures({ failures, what = 'Not counted' }: { failures: { broker: string; code: string }[]; what?: string }) {
  if (failures.length === 0) return null;
  return (
    <div class="banner" role="status">
      {what} (did not answer): {[...new Set(failures.map((f) => `${f.broker} (${f.code})`))].join(', ')}
    </div>
  );
}

/**
 * A delete that needs the name typed again (the server checks it too), with each broker's outcome
 * and the mqadmin line. `url` gets `?confirm=<typed>`.
 */
export function TypedDelete({ noun, name, url }: { noun: string; name: string; url: string }) {
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState<WriteResult>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setDone(await del(`${url}?confirm=${encodeURIComponent(confirm)}`));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby={`delete-${noun}-h`}>
      <h3 id={`delete-${noun}-h`}>Delete this {noun}</h3>
      <form class="inline" onSubmit={submit}>
        <label>
          Type {name} to confirm
          <input name="confirm" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={confirm !== name}>
          Delete {noun}
        </button>
      </form>
      <ErrorBox error={error} />
      <WriteOutcome done={done} verb="deleted" />
    </section>
  );
}

/** A datetime-local value (the browser's time zone) as epoch ms; undefined when empty or not a time. */
export function epochMs(local: string): number | undefined {
  const ms = local ? Date.parse(local) : NaN;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** "Stored from" / "until" inputs of a store-time range (to the second). */
export function TimeRange(p: { from: string; until: string; onFrom: (v: string) => void; onUntil: (v: string) => void; untilLabel: string }) {
  return (
    <>
      <label>
        Stored from
        <input name="from" type="datetime-local" step="1" value={p.from} onInput={(e) => p.onFrom(e.currentTarget.value)} />
      </label>
      <label>
        {p.untilLabel}
        <input name="until" type="datetime-local" step="1" value={p.until} onInput={(e) => p.onUntil(e.currentTarget.value)} />
      </label>
    </>
  );
}

/** A write's answer from every broker it went to, with the same change as an mqadmin line. */
export interface WriteResult {
  results: { broker: string; ok: boolean; error?: string }[];
  mqadmin: string;
}

/** Each broker's outcome of a write ("broker-a: updated; broker-b: <why not>") and its mqadmin line. */
export function WriteOutcome({ done, verb }: { done?: WriteResult | undefined; verb: string }) {
  if (!done) return null;
  return (
    <div role="status">
      {done.results.map((r) => `${r.broker}: ${r.ok ? verb : r.error}`).join('; ')}
      <Mqadmin cmd={done.mqadmin} />
    </div>
  );
}
