import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { type OrbitError, orbitmqV1, type v1 } from '@orbitmq/protocol';
import { callUnary, createClient, startGrpcServer, unary, useClusterSecret } from '../src';
import { nameServerBinding } from './name-server-binding';

const SECRET = 'cluster-secret-0123456789';

test('a cluster method refuses a caller without the credential; a call with it passes and its peer is told to onClusterAuthPass, other methods are not', async () => {
  const passed: string[] = [];
  const server = await startGrpcServer(
    '127.0.0.1',
    0,
    [
      nameServerBinding({
        DeleteTopic: unary('DeleteTopic', () => ({})),
        GetTopicList: unary('GetTopicList', () => ({ topics: [] })),
      }),
    ],
    { clusterSecret: SECRET, onClusterAuthPass: (peer) => passed.push(peer) },
  );
  const stranger = createClient(orbitmqV1().NameServer, server.address);
  try {
    await assert.rejects(
      callUnary(stranger, stranger.DeleteTopic, { topic: 'T' } as v1.DeleteTopicRequest),
      (e: OrbitError) => e.code === 'UNAUTHORIZED' && /needs the cluster credential/.test(e.message),
    );
    assert.deepEqual(passed, [], 'a refused call is not a pass');

    useClusterSecret(SECRET); // clients made from now on sign their calls
    const member = createClient(orbitmqV1().NameServer, server.address);
    try {
      await callUnary(member, member.GetTopicList, {});
      assert.deepEqual(passed, [], 'GetTopicList is not a cluster method: nothing proven');
      await callUnary(member, member.DeleteTopic, { topic: 'T' } as v1.DeleteTopicRequest);
      assert.equal(passed.length, 1);
      assert.match(passed[0] ?? '', /^127\.0\.0\.1:\d+$/, "the caller's ip:port, as the ACL names connections");
    } finally {
      member.close();
    }
  } finally {
    useClusterSecret('');
    stranger.close();
    await server.stop(0);
  }
});
