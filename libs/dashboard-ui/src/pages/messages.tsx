import { useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, Table } from '../components';
import { MESSAGE_HEAD, type MessageView, messageRows } from './topic-messages';

interface Found {
  messages: MessageView[];
  failures: { broker: string; code: string; error: string }[];
}

/** By message id (the client's id or a 4.x offsetMsgId), or by topic and key. */
export function MessagesPage() {
  const [id, setId] = useState('');
  const [topic, setTopic] = useState('');
  const [key, setKey] = useState('');
  const [found, setFound] = useState<Found>();
  const [error, setError] = useState<unknown>();
  const search = (params: Record<string, string>) => async (e: Event) => {
    e.preventDefault();
    setError(undefined);
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
      <ErrorBox error={error} />
      {found ? (
        <>
          <p class="muted" role="status">
            {found.messages.length} found
            {found.failures.length ? `; not asked: ${found.failures.map((f) => `${f.broker} (${f.code})`).join(', ')}` : ''}
          </p>
          <Table head={MESSAGE_HEAD} rows={messageRows(found.messages)} />
        </>
      ) : null}
    </main>
  );
}
