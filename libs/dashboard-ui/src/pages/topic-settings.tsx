import { useState } from 'preact/hooks';
import { post } from '../api';
import { ErrorBox, Table, WriteOutcome, type WriteResult } from '../components';
import { canWrite } from '../state';

export interface TopicConfigView {
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  messageType: string;
}

const PERMS: [number, string][] = [
  [6, 'read and write'],
  [4, 'read only'],
  [2, 'write only'],
];
const TYPES = ['NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED'];
const permText = (p: number): string => PERMS.find(([bits]) => bits === p)?.[1] ?? `perm ${p}`;

/** A topic's configuration on each master, and (for writers) an update sent to every master. */
export function TopicSettings({ topic, configs, onDone }: { topic: string; configs: { broker: string; config?: TopicConfigView }[]; onDone: () => void }) {
  const first = configs.find((c) => c.config)?.config;
  return (
    <section aria-labelledby="settings-h">
      <h3 id="settings-h">Settings</h3>
      <Table
        head={['Broker', 'Read queues', 'Write queues', 'Permission', 'Message type']}
        rows={configs.map((c) => (c.config ? [c.broker, c.config.readQueueNums, c.config.writeQueueNums, permText(c.config.perm), c.config.messageType] : [c.broker, '—', '—', '—', '—']))}
      />
      {canWrite() && first ? <UpdateTopic topic={topic} initial={first} onDone={onDone} /> : null}
    </section>
  );
}

function UpdateTopic({ topic, initial, onDone }: { topic: string; initial: TopicConfigView; onDone: () => void }) {
  const [read, setRead] = useState(initial.readQueueNums);
  const [write, setWrite] = useState(initial.writeQueueNums);
  const [perm, setPerm] = useState(initial.perm);
  const [type, setType] = useState(initial.messageType);
  const [done, setDone] = useState<WriteResult>();
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      setDone(await post('/api/topics', { topic, readQueueNums: read, writeQueueNums: write, perm, messageType: type }));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline" onSubmit={submit} aria-label={`Update topic ${topic}`}>
      <label>
        Read queues
        <input name="readQueueNums" type="number" min={1} max={1024} value={read} onInput={(e) => setRead(Number(e.currentTarget.value))} />
      </label>
      <label>
        Write queues
        <input name="writeQueueNums" type="number" min={1} max={1024} value={write} onInput={(e) => setWrite(Number(e.currentTarget.value))} />
      </label>
      <label>
        Permission
        <select name="perm" value={perm} onChange={(e) => setPerm(Number(e.currentTarget.value))}>
          {PERMS.map(([bits, text]) => (
            <option value={bits}>{text}</option>
          ))}
        </select>
      </label>
      <label>
        Message type
        <select name="messageType" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {TYPES.map((t) => (
            <option value={t}>{t}</option>
          ))}
        </select>
      </label>
      <button type="submit">Update topic</button>
      <ErrorBox error={error} />
      <WriteOutcome done={done} verb="updated" />
    </form>
  );
}
