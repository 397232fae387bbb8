import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, TimeRange, epochMs } from '../components';
import { MessageList } from './message-detail';
import type { MessageView } from './topic-messages';

interface Found {
  messages: MessageView[];
  failures: { broker: string; code: string; error: string }[];
}

/** By message id (the client's id or a 4.x offsetMsgId), by topic and key, or by topic and time range. */
export function MessagesPage() {
  const [id, setId] = useState('');
  const [topic, setTopic] = useState('');
  const [key, setKey] = useState('');
  const [from, setFrom] = useState('');
  const [until, setUntil] = useState('');
  const [found, setFound] = useState<Found>();
  const [error, setError] = useState<unknown>();
  const search = (params: Record<string, string | number | undefined>) => async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setFound(undefined);
    try {
      setFound(await get<Found>(`/api/messages${qs(params)}`));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main>
      <h2>Find messages</h2>
      <form class="inline" onSubmit={search({ id })}>
        <label>
          Message id
          <input name="id" value={id} onInput={(e) => setId(e.currentTarget.value.trim())} />
        </label>
        <button type="submit">Find by id</button>
      </form>
      <form class="inline" onSubmit={search({ topic, key })}>
        <label>
          Topic
          <input name="topic" value={topic} onInput={(e) => setTopic(e.currentTarget.value.trim())} />
        </label>
        <label>
          Key
          <input name="key" value={key} onInput={(e) => setKey(e.currentTarget.value.trim())} />
        </label>
        <button type="submit">Find by key</button>
      </form>
      <form class="inline" onSubmit={search({ topic, beginMs: epochMs(from), endMs: epochMs(until) })}>
        <label>
          In topic
          <input name="timeTopic" value={topic} onInput={(e) => setTopic(e.currentTarget.value.trim())} />
        </label>
        <TimeRange from={from} until={until} onFrom={setFrom} onUntil={setUntil} untilLabel="until (empty: now)" />
        <button type="submit">Find by time</button>
      </form>
      <ErrorBox error={error} />
      {found ? (
        <>
          <p class="muted" role="status">
            {found.messages.length} found
            {found.failures.length ? `; not asked: ${found.failures.map((f) => `${f.broker} (${f.code})`).join(', ')}` : ''}
          </p>
          <MessageList messages={found.messages} />
        </>
      ) : null}
    </main>
  );
}
