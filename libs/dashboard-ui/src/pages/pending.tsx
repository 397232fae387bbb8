import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, Failures, Table, duration, useLoad } from '../components';

interface Pending {
  delayed: { broker: string; pending: number; buckets: { label: string; count: number }[] }[];
  transactions: { broker: string; topic: string; messageId: string; transactionId: string; producerClientId: string; storeTimestampMs: number; ageMs: number }[];
  transactionsPending: number;
  failures: { broker: string; code: string; error: string }[];
}

const REFRESH_MS = 5_000;

/** What waits: delayed messages by when they are due, and transactions not yet committed or rolled back. */
export function PendingPage() {
  const [topic, setTopic] = useState('');
  const [shown, setShown] = useState('');
  const { data, error } = useLoad(() => get<Pending>(`/api/pending${qs({ topic: shown, limit: 100 })}`), [shown], REFRESH_MS);
  const labels = [...new Set(data?.delayed.flatMap((d) => d.buckets.map((b) => b.label)) ?? [])];
  return (
    <main>
      <h2>Delayed messages and pending transactions</h2>
      <ErrorBox error={error} />
      <Failures failures={data?.failures ?? []} />
      {data ? (
        <>
          <h3>Delayed messages</h3>
          <p>
            <strong data-testid="delayed-total">{data.delayed.reduce((s, d) => s + d.pending, 0)}</strong> waiting for their delivery time
          </p>
          <Table
            caption="Count by when they are due (upper bound of the wait from now)"
            head={['Broker', 'Waiting', ...labels]}
            rows={data.delayed.map((d) => [d.broker, d.pending, ...labels.map((l) => d.buckets.find((b) => b.label === l)?.count ?? 0)])}
          />
          <h3>Pending transactions</h3>
          <form
            class="inline"
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              setShown(topic);
            }}
          >
            <label>
              Topic (empty: all)
              <input name="topic" value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
            </label>
            <button type="submit">Filter</button>
          </form>
          <p>
            <strong data-testid="transactions-total">{data.transactionsPending}</strong> half messages wait for a commit or rollback; the oldest first
            {data.transactions.length < data.transactionsPending ? ` (the first ${data.transactions.length} shown)` : ''}. The broker asks each producer to
            check the ones it has not heard about.
          </p>
          <Table
            head={['Broker', 'Topic', 'Message id', 'Transaction id', 'Producer', 'Waiting']}
            rows={data.transactions.map((t) => [t.broker, t.topic, <code>{t.messageId}</code>, <code>{t.transactionId}</code>, t.producerClientId, duration(t.ageMs)])}
          />
        </>
      ) : null}
    </main>
  );
}
