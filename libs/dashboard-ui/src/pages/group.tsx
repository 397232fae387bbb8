import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorBox, Failures, Sparkline, Table, TypedDelete, WriteOutcome, type WriteResult, duration, useLoad } from '../components';
import { canWrite } from '../state';

interface GroupConfig {
  consumeEnable: boolean;
  maxDeliveryAttempts: number;
  ordering: string;
  consumeFromWhere: string;
  consumeTimestampMs: number;
  retryBackoffMs: number[];
}

interface GroupDetail {
  group: string;
  totalLag: number;
  inflight: number;
  clients: number;
  brokers: string[];
  config: GroupConfig;
  topics: { topic: string; lag: number; lagMs: number | null }[];
  connections: { broker: string; clientId: string; language: string; address: string }[];
  trend?: { lags: number[] };
  history?: { at: number[]; lag: number[] };
  failures: { broker: string; code: string }[];
}

/** "1000, 5000, 30000" -> [1000, 5000, 30000]; undefined when not a list of milliseconds. */
export function parseLadder(text: string): number[] | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const ms = parts.map(Number);
  return ms.every((m) => Number.isInteger(m) && m >= 0) ? ms : undefined;
}

/** Create or update: empty fields stay as they are (a new group takes the brokers' defaults). */
export function GroupForm({ initial, onDone }: { initial?: GroupDetail; onDone: () => void }) {
  const c = initial?.config;
  const [group, setGroup] = useState(initial?.group ?? '');
  const [attempts, setAttempts] = useState(c?.maxDeliveryAttempts ? String(c.maxDeliveryAttempts) : '');
  const [ordering, setOrdering] = useState(c?.ordering ?? '');
  const [from, setFrom] = useState(c?.consumeFromWhere ?? '');
  const [ladder, setLadder] = useState((c?.retryBackoffMs ?? []).join(', '));
  const [done, setDone] = useState<WriteResult>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    const retryBackoffMs = parseLadder(ladder);
    if (!retryBackoffMs) return setError(new Error('retry ladder: milliseconds separated by commas, e.g. 1000, 5000, 30000'));
    try {
      const body = {
        group,
        ...(attempts ? { maxDeliveryAttempts: Number(attempts) } : {}),
        ...(ordering ? { ordering } : {}),
        ...(from ? { consumeFromWhere: from } : {}),
        ...(retryBackoffMs.length ? { retryBackoffMs } : {}),
      };
      setDone(await post<WriteResult>('/api/groups', body));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline" onSubmit={submit} aria-label={initial ? `Update group ${initial.group}` : 'Create a group'}>
      {initial ? null : (
        <label>
          New group
          <input name="group" required value={group} onInput={(e) => setGroup(e.currentTarget.value.trim())} />
        </label>
      )}
      <label>
        Max delivery attempts
        <input name="maxDeliveryAttempts" type="number" min={1} max={1000} value={attempts} onInput={(e) => setAttempts(e.currentTarget.value)} />
      </label>
      <label>
        Order
        <select name="ordering" value={ordering} onChange={(e) => setOrdering(e.currentTarget.value)}>
          <option value="">{initial ? 'unchanged' : 'default (auto)'}</option>
          <option value="auto">auto</option>
          <option value="ordered">ordered</option>
          <option value="unordered">unordered</option>
        </select>
      </label>
      <label>
        Starts from
        <select name="consumeFromWhere" value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
          <option value="">{initial ? 'unchanged' : 'default (last)'}</option>
          <option value="CONSUME_FROM_LAST_OFFSET">last</option>
          <option value="CONSUME_FROM_FIRST_OFFSET">first</option>
        </select>
      </label>
      <label>
        Retry ladder (ms)
        <input name="retryBackoffMs" placeholder="1000, 5000, 30000" value={ladder} onInput={(e) => setLadder(e.currentTarget.value)} />
      </label>
      <button type="submit">{initial ? 'Update group' : 'Create group'}</button>
      <ErrorBox error={error} />
      <WriteOutcome done={done} verb={initial ? 'updated' : 'created'} />
    </form>
  );
}

type ChartProps = { at: number[]; lag: number[]; label: string };

/** The lag chart, its code (uPlot) fetched when first shown. */
function LazyLagChart(props: ChartProps) {
  const [Chart, setChart] = useState<((p: ChartProps) => JSX.Element) | undefined>();
  useEffect(() => {
    void import('./lag-chart').then((m) => setChart(() => m.LagChart));
  }, []);
  return Chart ? <Chart {...props} /> : null;
}

/** One group: its settings, the topics it consumes with its lag on each, update and delete. */
export function GroupPage({ group }: { group: string }) {
  const { data, error, reload } = useLoad(() => get<GroupDetail>(`/api/groups/${encodeURIComponent(group)}`), [group]);
  const c = data?.config;
  return (
    <main>
      <h2>Group {group}</h2>
      <ErrorBox error={error} />
      {data && c ? (
        <>
          <Failures failures={data.failures} />
          <Table
            caption="Settings and totals"
            head={['Lag', 'Trend', 'In flight', 'Clients', 'Brokers', 'Max attempts', 'Retry ladder (ms)', 'Order', 'Starts from', 'Consuming']}
            rows={[
              [
                data.totalLag,
                <Sparkline values={data.trend?.lags ?? []} label={`lag of ${group}`} />,
                data.inflight,
                data.clients,
                data.brokers.join(', '),
                c.maxDeliveryAttempts,
                c.retryBackoffMs.join(', ') || 'default',
                c.ordering,
                c.consumeFromWhere.replace('CONSUME_FROM_', '').toLowerCase(),
                c.consumeEnable ? 'yes' : 'no',
              ],
            ]}
          />
          <LazyLagChart at={data.history?.at ?? []} lag={data.history?.lag ?? []} label={`lag of ${group}`} />
          {data.topics.length ? (
            <Table
              caption="Topics it has consumed"
              head={['Topic', 'Lag (messages)', 'Oldest unconsumed waited']}
              rows={data.topics.map((t) => [
                <a href={`#/topics/${encodeURIComponent(t.topic)}`}>{t.topic}</a>,
                t.lag,
                t.lagMs === null ? 'unknown (a broker did not answer)' : t.lag === 0 ? '—' : duration(t.lagMs),
              ])}
            />
          ) : (
            <p class="muted">It has consumed no topic yet.</p>
          )}
          {data.connections.length ? (
            <Table caption="Connected clients" head={['Client', 'Language', 'Address', 'Broker']} rows={data.connections.map((c) => [c.clientId, c.language, c.address, c.broker])} />
          ) : (
            <p class="muted">No client of this group is connected.</p>
          )}
          {canWrite() ? (
            <>
              <section aria-labelledby="update-group-h">
                <h3 id="update-group-h">Update</h3>
                <GroupForm initial={data} onDone={reload} />
              </section>
              <TypedDelete noun="group" name={group} url={`/api/groups/${encodeURIComponent(group)}`} />
            </>
          ) : null}
        </>
      ) : null}
    </main>
  );
}
