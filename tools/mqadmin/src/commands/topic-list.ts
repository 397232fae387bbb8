import { type GlobalOptions, type Output, nameServers } from '../context';

/** topicList: topic names known to the name servers (optionally of one cluster, -c). */
export async function topicList(opts: GlobalOptions & { cluster?: string }): Promise<Output> {
  const ns = nameServers(opts);
  try {
    const topics = await ns.getTopicList(opts.cluster ?? '');
    return { text: topics.join('\n'), json: topics };
  } finally {
    ns.close();
  }
}
