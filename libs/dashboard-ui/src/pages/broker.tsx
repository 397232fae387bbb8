import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorBox, Mqadmin, Table, useLoad } from '../components';
import { canWrite } from '../state';

type Failed = { ok: false; code: string; error: string };
interface Replica {
  brokerId: number;
  address: string;
  clientEndpoint: string;
  state: string;
  inSync: boolean;
  reason: string;
  lagBytes: number;
  lagMs: number;
  lastAckAgeMs: number;
}
interface Follower {
  state: string;
  reason: string;
  masterAddress: string;
  lagBytes: number;
  lastFrameAgeMs: number;
  endOffset: string;
  masterEndOffset: string;
}
interface Detail {
  cluster: string;
  brokerName: string;
  brokerId: number;
  address: string;
  status:
    | {
        ok: true;
        clientEndpoint: string;
        minOffset: string;
        endOffset: string;
        flushedOffset: string;
        dispatchedOffset: string;
        diskUsedPercent: number;
        diskFull: boolean;
        uptimeMs: number;
        config: { key: string; value: string; default?: string }[];
        liveKeys: string[];
      }
    | Failed;
  replication: { ok: true; role: string; endOffset: string; confirmOffset: string; epoch: number; replicas: Replica[]; follower?: Follower } | Failed;
}

const REFRESH_MS = 5_000;

const failedText = (f: Failed) => <span class="bad">failed: {f.code} {f.error}</span>;

function Replication({ r }: { r: Detail['replication'] }) {
  if (!r.ok) return failedText(r);
  return (
    <>
      <p>
        Role <strong>{r.role}</strong>, epoch {r.epoch}
        {r.role === 'SYNC_MASTER' ? `, confirmed up to ${r.confirmOffset}` : ''}
      </p>
      {r.follower ? (
        <Table
          caption="This replica's stream from its master"
          head={['Master', 'State', 'Lag (bytes)', 'Last frame', 'End / master end']}
          rows={[
            [
              r.follower.masterAddress || '—',
              <span class={r.follower.state === 'transferring' ? 'ok' : 'bad'}>{r.follower.state + (r.follower.reason ? `: ${r.follower.reason}` : '')}</span>,
              r.follower.lagBytes,
              `${r.follower.lastFrameAgeMs} ms ago`,
              `${r.follower.endOffset} / ${r.follower.masterEndOffset}`,
            ],
          ]}
        />
      ) : r.replicas.length === 0 ? (
        <p class="muted">No replica is following this broker.</p>
      ) : (
        <Table
          caption="Replicas following this master"
          head={['Id', 'Address', 'State', 'In sync', 'Lag (bytes)', 'Lag (ms)', 'Last ack']}
          rows={r.replicas.map((x) => [
            x.brokerId,
            x.clientEndpoint || x.address,
            x.state,
            x.inSync ? <span class="ok">yes</span> : <span class="bad">no{x.reason ? `: ${x.reason}` : ''}</span>,
            x.lagBytes,
            x.lagMs,
            `${x.lastAckAgeMs} ms ago`,
          ])}
        />
      )}
    </>
  );
}

function Config({ rows }: { rows: { key: string; value: string; default?: string }[] }) {
  const [all, setAll] = useState(false);
  const changed = rows.filter((r) => r.default !== undefined);
  const shown = all ? rows : changed;
  return (
    <>
      <p class="muted">
        {changed.length} of {rows.length} settings differ from their defaults.{' '}
        <button type="button" class="secondary" onClick={() => setAll(!all)}>
          {all ? 'Only changed' : 'Show all'}
        </button>
      </p>
      <Table
        head={['Key', 'Value', 'Default']}
        rows={shown.map((r) => [<code>{r.key}</code>, r.value || '—', r.default === undefined ? <span class="muted">(same)</span> : <strong data-testid="config-changed">{r.default || '(none)'}</strong>])}
      />
    </>
  );
}

/** One setting of the running broker (UpdateBrokerConfig: the keys it changes live), kept in its -c file. */
function ChangeSetting({ path, keys, current, onDone }: { path: string; keys: string[]; current: { key: string; value: string }[]; onDone: () => void }) {
  const [key, setKey] = useState(keys[0] ?? '');
  const [value, setValue] = useState(current.find((c) => c.key === keys[0])?.value ?? '');
  const [done, setDone] = useState<{ applied: Record<string, string>; persistedTo: string; mqadmin: string }>();
  const [error, setError] = useState<unknown>();
  const pick = (k: string) => {
    setKey(k);
    setValue(current.find((c) => c.key === k)?.value ?? '');
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await post(`${path}/config`, { key, value }));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline" onSubmit={submit} aria-label="Change a setting">
      <label>
        Setting
        <select name="key" value={key} onChange={(e) => pick(e.currentTarget.value)}>
          {keys.map((k) => (
            <option value={k}>{k}</option>
          ))}
        </select>
      </label>
      <label>
        Value
        <input name="value" value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      </label>
      <button type="submit">Change</button>
      <ErrorBox error={error} />
      {done ? (
        <div role="status">
          {Object.entries(done.applied)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ')}
          {done.persistedTo ? ` (kept in ${done.persistedTo})` : ' (until a restart: the broker was started without -c)'}
          <Mqadmin cmd={done.mqadmin} />
        </div>
      ) : null}
    </form>
  );
}

/** One broker: offsets and disk, its replication (replicas' lag, or its own stream), its configuration against the defaults. */
export function BrokerPage({ brokerName, brokerId }: { brokerName: string; brokerId: string }) {
  const path = `/api/brokers/${encodeURIComponent(brokerName)}/${encodeURIComponent(brokerId)}`;
  const { data, error, reload } = useLoad(() => get<Detail>(path), [path], REFRESH_MS);
  const s = data?.status;
  return (
    <main>
      <h2>
        Broker {brokerName} (id {brokerId})
      </h2>
      <ErrorBox error={error} />
      {data && s ? (
        <>
          <p class="muted">
            {data.cluster} · {data.address}
          </p>
          <h3>Store</h3>
          {s.ok ? (
            <Table
              head={['Client endpoint', 'Min / end offset', 'Flushed', 'Dispatched', 'Disk', 'Up']}
              rows={[
                [
                  s.clientEndpoint,
                  `${s.minOffset} / ${s.endOffset}`,
                  s.flushedOffset,
                  s.dispatchedOffset,
                  `${s.diskUsedPercent.toFixed(1)} %${s.diskFull ? ' (full: writes refused)' : ''}`,
                  `${Math.round(s.uptimeMs / 1000)} s`,
                ],
              ]}
            />
          ) : (
            failedText(s)
          )}
          <h3>Replication</h3>
          <Replication r={data.replication} />
          <h3>Configuration</h3>
          {s.ok ? <Config rows={s.config} /> : failedText(s)}
          {s.ok && canWrite() && s.liveKeys.length ? <ChangeSetting path={path} keys={s.liveKeys} current={s.config} onDone={reload} /> : null}
        </>
      ) : null}
    </main>
  );
}
