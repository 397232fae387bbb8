import { get } from '../api';
import { ErrorBox, Table, useLoad } from '../components';

interface Broker {
  cluster: string;
  brokerName: string;
  brokerId: number;
  address: string;
  ok: boolean;
  code?: string;
  error?: string;
  status?: { clientEndpoint: string; minOffset: string; endOffset: string; diskUsedPercent: number; diskFull: boolean; topics: number; groups: number; clients: number; inflightMessages: number; uptimeMs: number };
}
interface Overview {
  nameServers: { address: string; ok: boolean; error?: string; brokers: string[] }[];
  nameServersAgree: boolean;
  brokers: Broker[];
}

const REFRESH_MS = 5_000;

export function OverviewPage() {
  // Live: refreshed every few seconds while the page is open.
  const { data, error } = useLoad(() => get<Overview>('/api/overview'), [], REFRESH_MS);
  const failed = data?.brokers.filter((b) => !b.ok) ?? [];
  return (
    <main>
      <h2>Cluster</h2>
      <ErrorBox error={error} />
      {data ? (
        <>
          <div class="cards">
            <div class="card">
              <strong>{data.nameServers.filter((n) => n.ok).length} / {data.nameServers.length}</strong>name servers answering
            </div>
            <div class="card">
              <strong>{data.brokers.length - failed.length} / {data.brokers.length}</strong>brokers answering
            </div>
            <div class="card">
              <strong>{data.brokers.reduce((s, b) => s + (b.status?.clients ?? 0), 0)}</strong>clients
            </div>
          </div>
          {!data.nameServersAgree ? <div class="banner" role="status">The name servers disagree about which brokers are registered: see below.</div> : null}
          <h3>Brokers</h3>
          <Table
            head={['Cluster', 'Broker', 'Id', 'Address', 'State', 'Offsets (min / end)', 'Disk', 'Topics', 'Groups', 'Clients', 'In flight']}
            rows={data.brokers.map((b) => [
              b.cluster,
              <a href={`#/brokers/${encodeURIComponent(b.brokerName)}/${b.brokerId}`}>{b.brokerName}</a>,
              b.brokerId === 0 ? '0 (master)' : String(b.brokerId),
              b.address,
              b.ok ? <span class="ok">up</span> : <span class="bad" data-testid="broker-failed">failed: {b.code} {b.error}</span>,
              b.status ? `${b.status.minOffset} / ${b.status.endOffset}` : '—',
              b.status ? `${b.status.diskUsedPercent.toFixed(1)} %${b.status.diskFull ? ' (full: writes refused)' : ''}` : '—',
              b.status?.topics ?? '—',
              b.status?.groups ?? '—',
              b.status?.clients ?? '—',
              b.status?.inflightMessages ?? '—',
            ])}
          />
          <h3>Name servers</h3>
          <Table
            head={['Address', 'State', 'Brokers registered']}
            rows={data.nameServers.map((n) => [n.address, n.ok ? <span class="ok">up</span> : <span class="bad">failed: {n.error}</span>, n.brokers.join(', ') || '—'])}
          />
        </>
      ) : null}
    </main>
  );
}

