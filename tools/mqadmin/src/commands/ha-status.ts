import { toOrbitError, type v1 } from '@orbitmq/protocol';
import { type BrokerTarget, type TargetOptions, callBroker, memberTargets } from '../brokers';
import type { Output } from '../context';
import { formatTable } from '../table';

/** One member's GetHaStatus answer, or why it gave none. */
export interface HaStatusResult {
  target: BrokerTarget;
  status?: v1.GetHaStatusResponse__Output;
  error?: string;
}

type Row = (string | number)[];

/** A master: one row per replica it streams to. */
export const MASTER_HEADERS = [
  'Broker Name',
  'BID',
  'Role',
  'Replica BID',
  'State',
  'In Sync',
  'Reason',
  'Acked Durable Offset',
  'Lag Bytes',
  'Lag Ms',
  'Master End',
  'Confirm Offset',
];

/** A replica: one row, its stream from the master. */
export const REPLICA_HEADERS = ['Broker Name', 'BID', 'Role', 'State', 'Reason', 'Master Addr', 'Master End', 'Own End', 'Lag Bytes', 'Epoch'];

const NONE = '-';
const show = (s: string): string => (s === '' ? NONE : s);

/**
 * The rows of both tables. A member that did not answer gets a row with what the name servers
 * know (name, brokerId), State ERROR and the error as Reason: no figure is made up for it.
 */
export function haStatusRows(results: HaStatusResult[]): { masters: Row[]; replicas: Row[] } {
  const masters: Row[] = [];
  const replicas: Row[] = [];
  for (const { target, status: s, error } of results) {
    if (!s) {
      const id = target.brokerId;
      const why = error ?? 'no answer';
      if (id === undefined || id === 0) {
        masters.push([target.brokerName, id ?? '?', id === 0 ? 'MASTER' : '?', NONE, 'ERROR', NONE, why, NONE, NONE, NONE, NONE, NONE]);
      } else {
        replicas.push([target.brokerName, id, 'SLAVE', 'ERROR', why, NONE, NONE, NONE, NONE, NONE]);
      }
      continue;
    }
    if (s.role === 'SLAVE') {
      const f = s.follower;
      const head: Row = [s.brokerName, s.brokerId, s.role];
      replicas.push(
        f
          ? [...head, show(f.state), show(f.reason), show(f.masterAddress), show(f.masterEndOffset), show(f.endOffset), show(f.lagBytes), show(f.masterEpoch)]
          : [...head, NONE, 'no follower status', NONE, NONE, show(s.endOffset), NONE, NONE],
      );
      continue;
    }
    const head: Row = [s.brokerName, s.brokerId, show(s.role)];
    const tail: Row = [show(s.endOffset), show(s.confirmOffset)];
    if (s.replicas.length === 0) masters.push([...head, NONE, 'no replica', NONE, NONE, NONE, NONE, NONE, ...tail]);
    for (const r of [...s.replicas].sort((a, b) => a.brokerId - b.brokerId)) {
      masters.push([
        ...head,
        r.brokerId,
        show(r.state),
        r.inSync ? 'yes' : 'no',
        show(r.reason),
        show(r.ackedDurableOffset),
        show(r.lagBytes),
        show(r.lagMs),
        ...tail,
      ]);
    }
  }
  return { masters, replicas };
}

/** The text of haStatus: the masters' table, then the replicas' table (each only when it has rows). */
export function formatHaStatus(results: HaStatusResult[]): string {
  const { masters, replicas } = haStatusRows(results);
  const parts: string[] = [];
  if (masters.length > 0) parts.push(formatTable(MASTER_HEADERS, masters));
  if (replicas.length > 0) parts.push(formatTable(REPLICA_HEADERS, replicas));
  const failed = results.filter((r) => !r.status).length;
  if (failed > 0) parts.push(`GetHaStatus failed on ${failed} of ${results.length} brokers`);
  return parts.join('\n\n');
}

/**
 * haStatus (RocketMQ's command name): replication as each broker sees it. -b asks one broker (an
 * error ends the command, as elsewhere); -c (or no option: every cluster) asks every member of
 * every broker group at once; a member that does not answer (or answers with an error) gets a
 * row saying so, and the exit code is 1.
 */
export async function haStatus(o: TargetOptions): Promise<Output> {
  const ask = (address: string): Promise<v1.GetHaStatusResponse__Output> => callBroker(o, address, (c) => c.GetHaStatus.bind(c), {});
  const results: HaStatusResult[] = o.brokerAddr
    ? [{ target: { brokerName: o.brokerAddr, address: o.brokerAddr }, status: await ask(o.brokerAddr) }]
    : await Promise.all(
        (await memberTargets(o)).map(async (target): Promise<HaStatusResult> => {
          try {
            return { target, status: await ask(target.address) };
          } catch (err) {
            const e = toOrbitError(err);
            return { target, error: `${e.code}: ${e.message}` };
          }
        }),
      );
  return {
    text: formatHaStatus(results),
    json: results.map(({ target, status, error }) =>
      status ? { address: target.address, ...status } : { brokerName: target.brokerName, brokerId: target.brokerId, address: target.address, error },
    ),
    ...(results.some((r) => !r.status) ? { exitCode: 1 } : {}),
  };
}
