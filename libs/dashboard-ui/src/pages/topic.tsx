import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { ErrorBox, Mqadmin, Table, TypedDelete, useLoad } from '../components';
import { canWrite } from '../state';
import { Browse, LiveTail, type MessageView } from './topic-messages';
import { GroupPanel } from './topic-group';
import { ResendPanel } from './topic-resend';
import { type TopicConfigView, TopicSettings } from './topic-settings';

interface TopicDetail {
  topic: string;
  brokers: {
    broker: string;
    address: string;
    ok: boolean;
    code?: string;
    error?: string;
    config?: TopicConfigView;
    queues?: { queueId: number; minOffset: string; maxOffset: string }[];
  }[];
}

export type { MessageView };

export function TopicPage({ topic }: { topic: string }) {
  const enc = encodeURIComponent(topic);
  const { data, error, reload } = useLoad(() => get<TopicDetail>(`/api/topics/${enc}`), [topic]);
  return (
    <main>
      <h2>Topic {topic}</h2>
      <ErrorBox error={error} />
      {data ? (
        <Table
          head={['Broker', 'Queue', 'Min offset', 'Max offset']}
          rows={data.brokers.flatMap((b): ComponentChildren[][] =>
            b.ok
              ? (b.queues ?? []).map((q) => [b.broker, q.queueId, q.minOffset, q.maxOffset])
              : [[b.broker, '—', <span class="bad">failed: {b.code} {b.error}</span>, '']],
          )}
        />
      ) : null}
      {data ? <TopicSettings topic={topic} configs={data.brokers} onDone={reload} /> : null}
      {canWrite() ? <SendTest topic={topic} onSent={reload} /> : null}
      <Browse topic={topic} />
      <LiveTail topic={topic} />
      {canWrite() && topic.startsWith('%DLQ%') ? <ResendPanel topic={topic} /> : null}
      <GroupPanel topic={topic} />
      {canWrite() ? <TypedDelete noun="topic" name={topic} url={`/api/topics/${enc}`} /> : null}
    </main>
  );
}

function SendTest({ topic, onSent }: { topic: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [tag, setTag] = useState('');
  const [keys, setKeys] = useState('');
  const [sent, setSent] = useState<{ messageId: string; broker: string; queueOffset: number; mqadmin: string }>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const k = keys.split(/[\s,]+/).filter(Boolean);
      setSent(await post(`/api/topics/${encodeURIComponent(topic)}/messages`, { body, ...(tag ? { tag } : {}), ...(k.length ? { keys: k } : {}) }));
      onSent();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="send-h">
      <h3 id="send-h">Send a test message</h3>
      <form class="inline" onSubmit={submit}>
        <label>
          Body
          <textarea name="body" rows={2} cols={40} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
        </label>
        <label>
          Tag
          <input name="tag" value={tag} onInput={(e) => setTag(e.currentTarget.value)} />
        </label>
        <label>
          Keys
          <input name="keys" value={keys} onInput={(e) => setKeys(e.currentTarget.value)} />
        </label>
        <button type="submit">Send</button>
      </form>
      <ErrorBox error={error} />
      {sent ? (
        <div role="status">
          Sent <code data-testid="sent-id">{sent.messageId}</code> to {sent.broker} (queue offset {sent.queueOffset})
          <Mqadmin cmd={sent.mqadmin} />
        </div>
      ) : null}
    </section>
  );
}

