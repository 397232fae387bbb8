import { useState } from 'preact/hooks';
import { get, post, qs } from '../api';
import { ErrorBox, Mqadmin, Table, duration, useLoad } from '../components';
import { canWrite } from '../state';

interface Progress {
  queues: { broker: string; queueId: number; brokerOffset: string; consumerOffset: string; inflight: number; lag: number; nextStoreTimestampMs: number }[];
  totalLag: number;
  lagMs: number;
  clients: { clientId: string; language: string; version: string; remoteAddress: string }[];
  failures: { broker: string; code: string; error: string }[];
}
interface Consumers {
  groups: { group: string; lag: number; inflight: number; clients: number }[];
  failures: { broker: string; code: string; error: string }[];
}
interface Reset {
  dryRun: boolean;
  queues: { broker: string; queueId: number; before: number; after: number }[];
  movedMessages: number;
  failures: { broker: string; code: string; error: string }[];
  mqadmin: string;
}

/** A group's progress on this topic, and a reset that is previewed (before / after) before it is applied. */
export function GroupPanel({ topic }: { topic: string }) {
  const [group, setGroup] = useState('');
  const [progress, setProgress] = useState<Progress>();
  const [to, setTo] = useState<'earliest' | 'latest' | 'time'>('latest');
  const [when, setWhen] = useState('');
  const [preview, setPreview] = useState<Reset>();
  const [applied, setApplied] = useState<Reset>();
  const [error, setError] = useState<unknown>();
  const base = () => `/api/topics/${encodeURIComponent(topic)}/groups/${encodeURIComponent(group)}`;
  const target = () => ({ to, ...(to === 'time' ? { timestampMs: Date.parse(when) } : {}) });
  const guard = (fn: () => Promise<void>) => async (e?: Event) => {
    e?.preventDefault();
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  };
  const load = guard(async () => setProgress(await get<Progress>(base())));
  const consumers = useLoad(() => get<Consumers>(`/api/topics/${encodeURIComponent(topic)}/groups`), [topic]);
  const show = (g: string) =>
    guard(async () => {
      setGroup(g);
      setPreview(undefined);
      setApplied(undefined);
      setProgress(await get<Progress>(`/api/topics/${encodeURIComponent(topic)}/groups/${encodeURIComponent(g)}`));
    });
  const doPreview = guard(async () => {
    setApplied(undefined);
    setPreview(await get<Reset>(`${base()}/reset-preview${qs(target())}`));
  });
  const apply = guard(async () => {
    setApplied(await post<Reset>(`${base()}/reset`, target()));
    setPreview(undefined);
    setProgress(await get<Progress>(base()));
  });
  return (
    <section aria-labelledby="group-h">
      <h3 id="group-h">Consumer groups</h3>
      <ErrorBox error={consumers.error} />
      {consumers.data ? (
        consumers.data.groups.length ? (
          <Table
            caption="Groups that have consumed this topic"
            head={['Group', 'Lag on this topic', 'In flight (all topics)', 'Clients (all topics)', '']}
            rows={consumers.data.groups.map((g) => [
              g.group,
              g.lag,
              g.inflight,
              g.clients,
              <button type="button" class="secondary" onClick={show(g.group)}>
                Progress of {g.group}
              </button>,
            ])}
          />
        ) : (
          <p class="muted">No group has consumed this topic yet.</p>
        )
      ) : null}
      <form class="inline" onSubmit={load}>
        <label>
          Group
          <input name="group" value={group} onInput={(e) => setGroup(e.currentTarget.value)} />
        </label>
        <button type="submit">Show progress</button>
      </form>
      <ErrorBox error={error} />
      {progress ? (
        <>
          <p>
            Lag: <strong data-testid="total-lag">{progress.totalLag}</strong> messages
            {progress.totalLag > 0 ? (
              <>
                , the oldest waiting <strong data-testid="lag-time">{duration(progress.lagMs)}</strong>
              </>
            ) : null}
            ; {progress.clients.length} clients connected
          </p>
          <Table
            head={['Broker', 'Queue', 'Broker offset', 'Consumer offset', 'In flight', 'Lag', 'Oldest unconsumed']}
            rows={progress.queues.map((q) => [
              q.broker,
              q.queueId,
              q.brokerOffset,
              q.consumerOffset,
              q.inflight,
              q.lag,
              q.nextStoreTimestampMs ? new Date(q.nextStoreTimestampMs).toISOString() : '—',
            ])}
          />
          {progress.failures.map((f) => (
            <div class="bad" key={f.broker}>
              {f.broker} failed: {f.code} {f.error}
            </div>
          ))}
          {canWrite() ? (
            <form class="inline" onSubmit={doPreview} aria-label="Reset the group's offsets">
              <label>
                Reset to
                <select name="to" value={to} onChange={(e) => setTo(e.currentTarget.value as typeof to)}>
                  <option value="earliest">earliest</option>
                  <option value="latest">latest</option>
                  <option value="time">a time</option>
                </select>
              </label>
              {to === 'time' ? (
                <label>
                  Time (ISO, e.g. 2026-12-01T10:00:00Z)
                  <input name="when" value={when} onInput={(e) => setWhen(e.currentTarget.value)} />
                </label>
              ) : null}
              <button type="submit">Preview reset</button>
            </form>
          ) : null}
        </>
      ) : null}
      {preview ? (
        <div data-testid="reset-preview">
          <Table head={['Broker', 'Queue', 'Before', 'After']} rows={preview.queues.map((q) => [q.broker, q.queueId, q.before, q.after])} />
          <p>
            {preview.movedMessages >= 0 ? `${preview.movedMessages} messages will be consumed again` : `${-preview.movedMessages} messages will be skipped`}.
          </p>
          <button type="button" onClick={() => void apply()}>
            Apply this reset
          </button>
          <Mqadmin cmd={preview.mqadmin} />
        </div>
      ) : null}
      {applied ? (
        <div role="status" data-testid="reset-applied">
          Reset applied: {applied.queues.map((q) => `${q.broker}/${q.queueId} → ${q.after}`).join(', ')}
          <Mqadmin cmd={applied.mqadmin} />
        </div>
      ) : null}
    </section>
  );
}
