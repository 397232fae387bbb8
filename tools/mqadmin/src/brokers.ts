import { type AdminMethod, type BrokerTarget, type TargetOptions, callBroker, targets } from '@orbitmq/admin-client';

// Finding brokers and calling them lives in @orbitmq/admin-client (the dashboard uses it too).
export { type BrokerTarget, type TargetOptions, callBroker, memberTargets, targets } from '@orbitmq/admin-client';

/** Calls one BrokerAdmin method on every target broker, in order; the first failure fails the command. */
export async function onEach<Req, Res>(opts: TargetOptions, method: AdminMethod<Req, Res>, req: Req): Promise<{ target: BrokerTarget; res: Res }[]> {
  const out: { target: BrokerTarget; res: Res }[] = [];
  for (const target of await targets(opts)) out.push({ target, res: await callBroker(opts, target.address, method, req) });
  return out;
}
