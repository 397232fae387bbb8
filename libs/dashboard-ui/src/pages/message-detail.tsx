import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { ErrorBox, Table, duration, time } from '../components';
import { MESSAGE_HEAD, type MessageView, messageRows } from './topic-messages';

interface GroupDelivery {
  group: string;
  state: string;
  attempt: number;
  untilMs: number;
  consumerOffset: number;
  copy?: { topic: string; queueOffset: number };
}

interface Delivery {
  broker: string;
  message?: MessageView;
  deliveries: GroupDelivery[];
  groupsLeftOut: number;
}

/** What each state means to an operator, with its deadline or copy. */
function stateText(d: GroupDelivery, nowMs: number): string {
  const copy = d.copy ? ` (${d.copy.topic}${d.copy.queueOffset >= 0 ? ` @ ${d.copy.queueOffset}` : ''})` : '';
  switch (d.state) {
    case 'CONSUMED':
      return d.attempt > 0 ? `consumed after ${d.attempt} retries${copy}` : 'consumed (acked, or skipped by its filter)';
    case 'NOT_CONSUMED_YET':
      return 'not consumed yet';
    case 'IN_FLIGHT':
      return `in flight, attempt ${d.attempt}, invisible until ${time(d.untilMs)} (${duration(Math.max(0, d.untilMs - nowMs))} left)`;
    case 'AWAITING_REDELIVERY':
      return `not acked after attempt ${d.attempt}: the next receive gets it again`;
    case 'HELD_BY_ORDER':
      return 'waiting for an earlier message of its message group';
    case 'RETRYING':
      return `retrying, attempt ${d.attempt}${d.untilMs ? `, due ${time(d.untilMs)}` : ''}${copy}`;
    case 'DEAD_LETTERED':
      return `dead-lettered after ${d.attempt} attempts${copy}`;
    default:
      return d.state;
  }
}

/** One message and where it stands for every group consuming its queue (GetDeliveryState). */
export function DeliveryPanel({ m }: { m: MessageView }) {
  const [data, setData] = useState<Delivery>();
  const [error, setError] = useState<unknown>();
  const load = async () => {
    setError(undefined);
    try {
      setData(await get<Delivery>(`/api/topics/${encodeURIComponent(m.topic)}/messages/${m.queueId}/${m.queueOffset}/delivery${qs({ broker: m.broker })}`));
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => void load(), []);
  const now = Date.now();
  return (
    <section aria-labelledby="delivery-h" data-testid="delivery">
      <h3 id="delivery-h">
        Delivery of <code>{m.messageId}</code> ({m.topic} queue {m.queueId} offset {m.queueOffset} on {m.broker})
      </h3>
      <ErrorBox error={error} />
      {data?.message ? <Table head={MESSAGE_HEAD} rows={messageRows([data.message])} /> : null}
      {data?.message?.originTopic ? <p>Came from topic {data.message.originTopic}.</p> : null}
      {data ? (
        data.deliveries.length ? (
          <Table
            head={['Group', 'State', 'Group offset in this queue']}
            rows={data.deliveries.map((d) => [d.group, stateText(d, now), d.consumerOffset >= 0 ? d.consumerOffset : '—'])}
          />
        ) : (
          <p class="muted">No group has consumed this queue.</p>
        )
      ) : null}
      {data?.groupsLeftOut ? <p class="muted">{data.groupsLeftOut} groups not examined (the broker's bound).</p> : null}
      <button type="button" onClick={() => void load()}>
        Refresh
      </button>
    </section>
  );
}

/** Messages with a button each that shows the message's delivery state below the table. */
export function MessageList({ messages }: { messages: MessageView[] }) {
  const [open, setOpen] = useState<MessageView>();
  const rows = messageRows(messages).map((row, i) => {
    const m = messages[i] as MessageView;
    return [
      ...row,
      <button type="button" aria-label={`Delivery of ${m.messageId}`} onClick={() => setOpen(m)}>
        Delivery
      </button>,
    ];
  });
  return (
    <>
      <Table head={[...MESSAGE_HEAD, 'Detail']} rows={rows} />
      {open ? <DeliveryPanel key={`${open.broker}/${open.topic}/${open.queueId}/${open.queueOffset}`} m={open} /> : null}
    </>
  );
}
