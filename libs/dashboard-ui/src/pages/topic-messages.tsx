import { useEffect, useRef, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, Table, time } from '../components';
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

/** One queue from an offset, filtered by tags or SQL92 on the broker (its own evaluator). */
export function Browse({ topic }: { topic: string }) {
  const [queueId, setQueueId] = useState(0);
  const [offset, setOffset] = useState(0);
  const [filter, setFilter] = useState('');
  const [kind, setKind] = useState<'tags' | 'sql'>('tags');
  const [result, setResult] = useState<{ messages: MessageView[]; nextOffset: number }>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setResult(await get(`/api/topics/${encodeURIComponent(topic)}/messages${qs({ queueId, offset, count: 64, [kind]: filter })}`));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="browse-h">
      <h3 id="browse-h">Browse messages</h3>
      <form class="inline" onSubmit={submit}>
        <label>
          Queue
          <input name="queueId" type="number" min={0} value={queueId} onInput={(e) => setQueueId(Number(e.currentTarget.value))} />
        </label>
        <label>
          From offset
          <input name="offset" type="number" min={0} value={offset} onInput={(e) => setOffset(Number(e.currentTarget.value))} />
        </label>
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
      </form>
      <ErrorBox error={error} />
      {result ? (
        <>
          <p class="muted">
            {result.messages.length} messages; next offset {result.nextOffset}
          </p>
          <MessageList messages={result.messages} />
        </>
      ) : null}
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
