import { useEffect, useRef, useState } from 'preact/hooks';
import { qs, streamEvents } from '../api';
import { ErrorBox, Table, TimeRange, epochMs, time } from '../components';
import { MessageList } from './message-detail';

export interface MessageView {
  broker: string;
  topic: string;
  queueId: number;
  queueOffset: string;
  messageId: string;
  tag: string;
  keys: string[];
  storeTimestampMs: number;
  body: { body: string; encoding: string; bytes: number; truncated: boolean };
  /** A dead letter's or retry's original topic ('' otherwise). */
  originTopic?: string;
}

export function messageRows(ms: MessageView[]) {
  return ms.map((m) => [
    m.broker,
    m.queueId,
    m.queueOffset,
    <code>{m.messageId}</code>,
    m.tag,
    m.keys.join(' '),
    time(m.storeTimestampMs),
    `${m.body.encoding === 'hex' ? '(hex) ' : ''}${m.body.body}${m.body.truncated ? ` … (${m.body.bytes} bytes)` : ''}`,
  ]);
}

export const MESSAGE_HEAD = ['Broker', 'Queue', 'Offset', 'Message id', 'Tag', 'Keys', 'Stored', 'Body'];

interface Progress {
  broker: string;
  queueId: number;
  nextOffset: string;
  maxOffset: string;
  scanned: string;
  matched: string;
  queuesDone: number;
  queues: number;
  finished: string;
}

function progressText(p: Progress): string {
  const where = p.finished ? `done (${p.finished.toLowerCase().replace(/_/g, ' ')})` : `queue ${p.queueId} at ${p.nextOffset} of ${p.maxOffset}`;
  return `${p.broker}: ${where}; ${p.queuesDone} of ${p.queues} queues, ${p.scanned} read, ${p.matched} matched`;
}

/**
 * Stored messages found by a scan on the brokers (BrowseMessages): one queue or all, from an
 * offset or a time, up to a time, by tags or SQL92 (the brokers' evaluator), streamed with progress.
 */
export function Browse({ topic }: { topic: string }) {
  const [queueId, setQueueId] = useState('0');
  const [offset, setOffset] = useState('0');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState<'tags' | 'sql'>('tags');
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const stop = useRef<AbortController>();
  useEffect(() => () => stop.current?.abort(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    stop.current?.abort();
    const abort = new AbortController();
    stop.current = abort;
    setError(undefined);
    setMessages([]);
    setProgress({});
    setProblems([]);
    setRunning(true);
    const params = { queueId: queueId === '' ? -1 : queueId, offset: queueId === '' ? undefined : offset, beginMs: epochMs(from), endMs: epochMs(until), max: 256, [kind]: filter };
    try {
      await streamEvents(
        `/api/topics/${encodeURIComponent(topic)}/search${qs(params)}`,
        (event, data) => {
          if (event === 'messages') setMessages((ms) => [...ms, ...(data as { messages: MessageView[] }).messages]);
          if (event === 'progress') setProgress((p) => ({ ...p, [(data as Progress).broker]: data as Progress }));
          if (event === 'problem') setProblems((ps) => [...ps, `${(data as { broker: string }).broker}: ${(data as { message: string }).message}`]);
        },
        abort.signal,
      );
    } catch (err) {
      if (!abort.signal.aborted) setError(err);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section aria-labelledby="browse-h">
      <h3 id="browse-h">Browse messages</h3>
      <form class="inline" onSubmit={submit}>
        <label>
          Queue (empty: all)
          <input name="queueId" type="number" min={0} value={queueId} onInput={(e) => setQueueId(e.currentTarget.value)} />
        </label>
        <label>
          From offset (empty: by time)
          <input name="offset" type="number" min={0} value={offset} onInput={(e) => setOffset(e.currentTarget.value)} />
        </label>
        <TimeRange from={from} until={until} onFrom={setFrom} onUntil={setUntil} untilLabel="until" />
        <label>
          Filter
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as 'tags' | 'sql')}>
            <option value="tags">tags (TagA || TagB)</option>
            <option value="sql">SQL92 (a &gt; 5 AND b = 'x')</option>
          </select>
        </label>
        <label>
          Expression
          <input name="filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="submit">Browse</button>
        {running ? (
          <button type="button" class="secondary" onClick={() => stop.current?.abort()}>
            Stop
          </button>
        ) : null}
      </form>
      <ErrorBox error={error} />
      <div role="status" data-testid="browse-progress">
        {Object.values(progress).map((p) => (
          <p class="muted" key={p.broker}>
            {progressText(p)}
          </p>
        ))}
        {problems.map((p) => (
          <p class="bad" key={p}>
            {p}
          </p>
        ))}
      </div>
      {messages.length ? <MessageList messages={messages} /> : null}
    </section>
  );
}

/** Rows a live tail keeps on the page (oldest go first). */
const TAIL_ROWS = 200;

/** New messages as they are stored, over server-sent events; skipped counts are shown, never hidden. */
export function LiveTail({ topic }: { topic: string }) {
  const [on, setOn] = useState(false);
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [state, setState] = useState('');
  const [skipped, setSkipped] = useState(0);
  const source = useRef<EventSource>();
  useEffect(() => () => source.current?.close(), []);
  const start = () => {
    setMessages([]);
    setSkipped(0);
    const es = new EventSource(`/api/topics/${encodeURIComponent(topic)}/tail`);
    source.current = es;
    es.addEventListener('ready', (e) => setState(`following ${(JSON.parse((e as MessageEvent).data) as { queues: number }).queues} queues`));
    es.addEventListener('message', (e) => setMessages((ms) => [JSON.parse((e as MessageEvent).data) as MessageView, ...ms].slice(0, TAIL_ROWS)));
    es.addEventListener('skipped', (e) => setSkipped((n) => n + (JSON.parse((e as MessageEvent).data) as { count: number }).count));
    es.addEventListener('problem', (e) => setState(`problem: ${(JSON.parse((e as MessageEvent).data) as { message: string }).message}`));
    es.addEventListener('end', (e) => {
      setState(`ended: ${(JSON.parse((e as MessageEvent).data) as { reason: string }).reason}`);
      es.close();
      setOn(false);
    });
    es.onerror = () => setState('connection lost; the browser retries');
    setOn(true);
  };
  const stop = () => {
    source.current?.close();
    setOn(false);
    setState('stopped');
  };
  return (
    <section aria-labelledby="tail-h">
      <h3 id="tail-h">Live tail</h3>
      <button type="button" onClick={on ? stop : start}>
        {on ? 'Stop live tail' : 'Start live tail'}
      </button>{' '}
      <span class="muted" data-testid="tail-state">
        {state}
        {skipped ? `; ${skipped} skipped (the page read too slowly)` : ''}
      </span>
      {messages.length ? <Table head={MESSAGE_HEAD} rows={messageRows(messages)} /> : null}
    </section>
  );
}
