import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, Failures, Pager, Sparkline, Table, duration, useLoad } from '../components';
import { canWrite } from '../state';
import { GroupForm } from './group';

interface GroupRow {
  group: string;
  totalLag: number;
  inflight: number;
  clients: number;
  brokers: string[];
  maxDeliveryAttempts: number;
  ordering: string;
  consumeFromWhere: string;
  retryBackoffMs: number[];
  trend?: { lags: number[]; sinceMs: number; drainPerSecond?: number; etaMs?: number };
}

const PAGE = 100;
const REFRESH_MS = 15_000;

/** "caught up", "in 3 m 20 s (120/s)", or "not draining (+40/s)" from the lag's trend. */
function eta(t: GroupRow['trend']): string {
  if (!t || t.lags.length === 0) return '—';
  if (t.etaMs === 0) return 'caught up';
  if (t.drainPerSecond === undefined) return 'measuring…';
  const rate = Math.abs(t.drainPerSecond).toFixed(t.drainPerSecond > -10 && t.drainPerSecond < 10 ? 1 : 0);
  return t.etaMs !== undefined ? `in ${duration(t.etaMs)} (${rate}/s)` : `not draining (+${rate}/s)`;
}
const ladder = (ms: number[]): string => (ms.length ? ms.map((m) => (m >= 60_000 ? `${m / 60_000}m` : `${m / 1000}s`)).join(' → ') : 'default');

/** Every consumer group with its lag (paged on the server); a broker that did not answer is named. */
export function GroupsPage() {
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  // Refreshed: the lag trend grows with each refresh (the dashboard also samples in the background).
  const { data, error, reload } = useLoad(
    () => get<{ total: number; groups: GroupRow[]; failures: { broker: string; code: string }[] }>(`/api/groups${qs({ search, offset, limit: PAGE })}`),
    [search, offset],
    REFRESH_MS,
  );
  return (
    <main>
      <h2>Consumer groups</h2>
      {canWrite() ? <GroupForm onDone={reload} /> : null}
      <form class="inline" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search groups
          <input name="search" value={search} onInput={(e) => (setSearch(e.currentTarget.value), setOffset(0))} />
        </label>
      </form>
      <ErrorBox error={error} />
      {data ? (
        <>
          <Failures failures={data.failures} />
          <Table
            head={[
              'Group',
              'Lag (messages)',
              'Lag trend',
              'Drain ETA',
              'In flight',
              'Clients',
              'Brokers',
              'Max attempts',
              'Retry ladder',
              'Order',
              'Starts from',
            ]}
            rows={data.groups.map((g) => [
              <a href={`#/groups/${encodeURIComponent(g.group)}`}>{g.group}</a>,
              g.totalLag,
              <Sparkline values={g.trend?.lags ?? []} label={`lag of ${g.group}`} />,
              <span data-testid="drain-eta">{eta(g.trend)}</span>,
              g.inflight,
              g.clients,
              g.brokers.join(', '),
              g.maxDeliveryAttempts,
              ladder(g.retryBackoffMs),
              g.ordering,
              g.consumeFromWhere.replace('CONSUME_FROM_', '').toLowerCase(),
            ])}
          />
          <Pager total={data.total} offset={offset} size={PAGE} noun="groups" onOffset={setOffset} />
        </>
      ) : null}
    </main>
  );
}
