import { useState } from 'preact/hooks';
import { get, post, qs } from '../api';
import { ErrorBox, Failures, Mqadmin, Pager, Table, useLoad } from '../components';
import { canWrite } from '../state';

const PAGE = 100;
const REFRESH_MS = 10_000;

interface TopicStats {
  messageType: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  messagesWritten: number;
  /** Messages/s since this topic's previous page view (null: no earlier count). */
  ratePerSecond: number | null;
  brokers: string[];
}

interface TopicList {
  total: number;
  topics: string[];
  stats: (TopicStats | null)[];
  failures: { broker: string; code: string }[];
}

const PERM_TEXT: Record<number, string> = { 6: 'rw', 4: 'r', 2: 'w' };

export function TopicsPage() {
  const [search, setSearch] = useState('');
  const [type, setType] = useState('');
  const [offset, setOffset] = useState(0);
  // Refreshed: each refresh also gives the rows a rate (messages written since the previous one).
  const { data, error, reload } = useLoad(() => get<TopicList>(`/api/topics${qs({ search, type, offset, limit: PAGE })}`), [search, type, offset], REFRESH_MS);
  return (
    <main>
      <h2>Topics</h2>
      {canWrite() ? <CreateTopic onDone={reload} /> : null}
      <form class="inline" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input name="search" value={search} onInput={(e) => (setSearch(e.currentTarget.value), setOffset(0))} />
        </label>
        <label>
          Type
          <select name="type" value={type} onChange={(e) => (setType(e.currentTarget.value), setOffset(0))}>
            <option value="">any</option>
            {['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'].map((t) => (
              <option value={t}>{t}</option>
            ))}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {data ? (
        <>
          <Failures failures={data.failures} what="No stats from" />
          <Table
            head={['Topic', 'Type', 'Queues (r/w)', 'Perm', 'Messages written', 'Rate', 'Brokers']}
            rows={data.topics.map((t, i) => {
              const s = data.stats[i];
              return [
                <a href={`#/topics/${encodeURIComponent(t)}`}>{t}</a>,
                s?.messageType ?? '—',
                s ? `${s.readQueueNums}/${s.writeQueueNums}` : '—',
                s ? (PERM_TEXT[s.perm] ?? s.perm) : '—',
                s?.messagesWritten ?? '—',
                s?.ratePerSecond == null ? '—' : `${s.ratePerSecond.toFixed(s.ratePerSecond < 10 ? 1 : 0)}/s`,
                s?.brokers.join(', ') ?? '—',
              ];
            })}
          />
          <Pager total={data.total} offset={offset} size={PAGE} noun="topics" onOffset={setOffset} />
        </>
      ) : null}
    </main>
  );
}

function CreateTopic({ onDone }: { onDone: () => void }) {
  const [topic, setTopic] = useState('');
  const [queues, setQueues] = useState(8);
  const [result, setResult] = useState<{ results: { broker: string; ok: boolean; error?: string }[]; mqadmin: string }>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setResult(await post('/api/topics', { topic, readQueueNums: queues, writeQueueNums: queues }));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline" onSubmit={submit} aria-label="Create a topic">
      <label>
        New topic
        <input name="topic" required value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
      </label>
      <label>
        Queues
        <input name="queues" type="number" min={1} max={1024} value={queues} onInput={(e) => setQueues(Number(e.currentTarget.value))} />
      </label>
      <button type="submit">Create topic</button>
      <ErrorBox error={error} />
      {result ? (
        <div role="status">
          {result.results.map((r) => (
            <div key={r.broker} class={r.ok ? 'ok' : 'bad'}>
              {r.broker}: {r.ok ? 'created' : r.error}
            </div>
          ))}
          <Mqadmin cmd={result.mqadmin} />
        </div>
      ) : null}
    </form>
  );
}
