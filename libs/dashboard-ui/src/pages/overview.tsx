import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorBox, Table, time, useLoad } from '../components';

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

interface Sample {
  sampledAtMs: number;
  overview: Overview;
  writeBytesPerSecond: Record<string, number>;
}

/** Polling, for when the live stream is refused (maxOverviewStreams) or unavailable. */
const FALLBACK_REFRESH_MS = 5_000;

/** The cluster page: live over server-sent events (one shared poll on the server), else polled. */
export function OverviewPage() {
  const [sample, setSample] = useState<Sample>();
  const [state, setState] = useState('connecting…');
  const [polled, setPolled] = useState(false);
  useEffect(() => {
    const es = new EventSource('/api/overview/stream');
    es.addEventListener('overview', (e) => {
      setSample(JSON.parse((e as MessageEvent).data) as Sample);
      setState('live');
    });
    es.addEventListener('problem', (e) => setState(`live; last poll failed: ${(JSON.parse((e as MessageEvent).data) as { error: string }).error}`));
    es.onerror = () => {
      // Refused (not 200) closes the stream for good; a dropped one is retried by the browser.
      if (es.readyState === EventSource.CLOSED) setPolled(true);
      else setState('reconnecting…');
    };
    return () => es.close();
  }, []);
  if (polled) return <PolledOverview />;
  return <OverviewView data={sample?.overview} rates={sample?.writeBytesPerSecond} status={sample ? `${state} · ${time(sample.sampledAtMs)}` : state} />;
}

function PolledOverview() {
  const { data, error } = useLoad(() => get<Overview>('/api/overview'), [], FALLBACK_REFRESH_MS);
  return <OverviewView data={data} error={error} status={`refreshed every ${FALLBACK_REFRESH_MS / 1000} s (live updates unavailable)`} />;
}

const rate = (bytesPerSecond: number | undefined): string =>
  bytesPerSecond === undefined ? '—' : bytesPerSecond >= 1_048_576 ? `${(bytesPerSecond / 1_048_576).toFixed(1)} MiB/s` : `${(bytesPerSecond / 1024).toFixed(1)} KiB/s`;

function OverviewView({ data, error, rates, status }: { data?: Overview; error?: unknown; rates?: Record<string, number>; status: string }) {
  const failed = data?.brokers.filter((b) => !b.ok) ?? [];
  return (
    <main>
      <h2>Cluster</h2>
      <p class="muted" data-testid="overview-state">
        {status}
      </p>
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
            head={['Cluster', 'Broker', 'Id', 'Address', 'State', 'Offsets (min / end)', 'Writes', 'Disk', 'Topics', 'Groups', 'Clients', 'In flight']}
            rows={data.brokers.map((b) => [
              b.cluster,
              <a href={`#/brokers/${encodeURIComponent(b.brokerName)}/${b.brokerId}`}>{b.brokerName}</a>,
              b.brokerId === 0 ? '0 (master)' : String(b.brokerId),
              b.address,
              b.ok ? <span class="ok">up</span> : <span class="bad" data-testid="broker-failed">failed: {b.code} {b.error}</span>,
              b.status ? `${b.status.minOffset} / ${b.status.endOffset}` : '—',
              b.status ? rate(rates?.[`${b.brokerName}/${b.brokerId}`]) : '—',
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

