import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox, Mqadmin, Table } from '../components';

interface Resent {
  to: string;
  broker: string;
  sent: number;
  results: { queueOffset: number; ok: boolean; messageId?: string; to?: string; code?: string; error?: string }[];
  mqadmin: string;
}

/** Longest list one resend takes (the server's bound). */
const MAX_OFFSETS = 64;

/** "0-3, 7" -> [0, 1, 2, 3, 7]; undefined when it does not parse or names too many. */
export function parseOffsets(text: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from >= MAX_OFFSETS) return undefined;
    for (let o = from; o <= to; o++) out.add(o);
  }
  return out.size > 0 && out.size <= MAX_OFFSETS ? [...out] : undefined;
}

/** A dead-letter queue's messages sent again to a topic (new messages; the DLQ keeps its copies), a result per message. */
export function ResendPanel({ topic }: { topic: string }) {
  const [queueId, setQueueId] = useState('0');
  const [offsets, setOffsets] = useState('');
  const [to, setTo] = useState('');
  const [done, setDone] = useState<Resent>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setDone(undefined);
    const list = parseOffsets(offsets);
    if (!list) return setError(new Error(`offsets: numbers and ranges like 0-3, 7 (at most ${MAX_OFFSETS})`));
    try {
      setDone(await post<Resent>(`/api/topics/${encodeURIComponent(topic)}/resend`, { queueId: Number(queueId), offsets: list, ...(to ? { to } : {}) }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="resend-h">
      <h3 id="resend-h">Resend dead letters</h3>
      <p class="muted">
        Each message is sent again, as a new message with the same body, tag, keys and properties, to the topic you name, or with no topic named to the topic it
        came from. No mqadmin command does this.
      </p>
      <form class="inline" onSubmit={submit}>
        <label>
          Queue
          <input name="queueId" type="number" min="0" value={queueId} onInput={(e) => setQueueId(e.currentTarget.value)} />
        </label>
        <label>
          Offsets
          <input name="offsets" placeholder="0-3, 7" value={offsets} onInput={(e) => setOffsets(e.currentTarget.value)} />
        </label>
        <label>
          To topic (empty: where each came from)
          <input name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit">Resend</button>
      </form>
      <ErrorBox error={error} />
      {done ? (
        <div data-testid="resend-result">
          <p>
            {done.sent} of {done.results.length} sent {done.to ? `to ${done.to}` : 'to the topics they came from'}
          </p>
          <Table
            head={['Offset', 'Result']}
            rows={done.results.map((r) => [
              r.queueOffset,
              r.ok ? (
                <span class="ok">
                  sent to {r.to} as {r.messageId}
                </span>
              ) : (
                <span class="bad">
                  {r.code}: {r.error}
                </span>
              ),
            ])}
          />
          <Mqadmin cmd={done.mqadmin} />
        </div>
      ) : null}
    </section>
  );
}
