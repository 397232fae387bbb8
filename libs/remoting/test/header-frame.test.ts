// Headers and frames: goldens built by hand from the documented layouts, coercion, and the streaming splitter.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  FrameDecoder,
  RemotingProtocolError,
  RequestCode,
  decodeBinaryHeader,
  decodeFrame,
  decodeJsonHeader,
  encodeBinaryHeader,
  encodeCommand,
  encodeJsonHeader,
  type RemotingCommand,
} from '../src';

function i16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}
function i32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
function str16(s: string): Buffer {
  return Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
}
function str32(s: string): Buffer {
  return Buffer.concat([i32(Buffer.byteLength(s)), Buffer.from(s)]);
}

function protocolError(fn: () => unknown, code: string): RemotingProtocolError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof RemotingProtocolError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const sendV2: RemotingCommand = {
  code: RequestCode.SEND_MESSAGE_V2,
  language: 'JAVA',
  version: 401,
  opaque: 7,
  flag: 0,
  extFields: { a: 'pg', b: 'TopicTest', e: '3' },
  body: Buffer.from('hello'),
  serializeType: 'ROCKETMQ',
};

test('binary header golden: a SEND_MESSAGE_V2 request as the Java client writes it', () => {
  const ext = Buffer.concat([str16('a'), str32('pg'), str16('b'), str32('TopicTest'), str16('e'), str32('3')]);
  const header = Buffer.concat([
    Buffer.from([0x01, 0x36]), // code 310
    Buffer.from([0x00]), // JAVA
    Buffer.from([0x01, 0x91]), // version 401
    i32(7),
    i32(0),
    i32(0), // no remark
    i32(ext.length),
    ext,
  ]);
  assert.deepEqual(encodeBinaryHeader(sendV2), header);
  const frame = Buffer.concat([i32(4 + header.length + 5), Buffer.from([0x01]), Buffer.from([0, 0, header.length]), header, Buffer.from('hello')]);
  assert.deepEqual(encodeCommand(sendV2), frame);
  const decoded = decodeFrame(frame.subarray(4));
  assert.deepEqual(decoded, sendV2);
  assert.equal(decodeBinaryHeader(header).remark, undefined);
});

test('binary header: remark, UTF-8, empty ext values read as absent, language bytes', () => {
  const cmd: RemotingCommand = { ...sendV2, code: 17, language: 'GO', flag: 1, remark: 'topic ü missing', extFields: { k: 'v', empty: '' } };
  const decoded = decodeBinaryHeader(encodeBinaryHeader(cmd));
  assert.equal(decoded.remark, 'topic ü missing');
  assert.equal(decoded.language, 'GO');
  assert.deepEqual(decoded.extFields, { k: 'v' });
  assert.equal(encodeBinaryHeader({ ...cmd, language: 'NODE_JS' })[2], 13);
  assert.equal(encodeBinaryHeader({ ...cmd, language: 'COBOL' })[2], 7, 'unknown names travel as OTHER');
  assert.equal(decodeBinaryHeader(Buffer.concat([i16(1), Buffer.from([99]), i16(0), i32(1), i32(0), i32(0), i32(0)])).language, 'OTHER');
});

test('binary header: inconsistent lengths are refused', () => {
  const good = encodeBinaryHeader(sendV2);
  protocolError(() => decodeBinaryHeader(good.subarray(0, 10)), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeBinaryHeader(good.subarray(0, good.length - 1)), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeBinaryHeader(Buffer.concat([good, Buffer.from([0])])), 'REMOTING_BAD_HEADER');
  const badRemark = Buffer.from(good);
  badRemark.writeInt32BE(1000, 13);
  protocolError(() => decodeBinaryHeader(badRemark), 'REMOTING_BAD_HEADER');
  const negativeExt = Buffer.from(good);
  negativeExt.writeInt32BE(-1, 17);
  protocolError(() => decodeBinaryHeader(negativeExt), 'REMOTING_BAD_HEADER');
  const badKey = Buffer.from(good);
  badKey.writeInt16BE(200, 21);
  protocolError(() => decodeBinaryHeader(badKey), 'REMOTING_BAD_HEADER');
  protocolError(() => encodeBinaryHeader({ ...sendV2, code: 40000 }), 'REMOTING_BAD_HEADER');
});

test('JSON header golden: ali-ons request with numbers in extFields, type byte 0', () => {
  // ali-ons: JSON.stringify({code, language, opaque, flag, version, remark, extFields}), header length written unmasked.
  const text = '{"code":310,"language":"JAVA","opaque":42,"flag":0,"version":121,"extFields":{"a":"pg","b":"T","e":3,"h":0,"j":false,"m":null}}';
  const header = Buffer.from(text);
  const frame = Buffer.concat([i32(4 + header.length + 2), i32(header.length), header, Buffer.from('hi')]);
  const [cmd] = new FrameDecoder().push(frame);
  assert.deepEqual(cmd, {
    code: 310,
    language: 'JAVA',
    version: 121,
    opaque: 42,
    flag: 0,
    extFields: { a: 'pg', b: 'T', e: '3', h: '0', j: 'false' },
    body: Buffer.from('hi'),
    serializeType: 'JSON',
  });
});

test('JSON header encoding: field order, extFields always present, remark only when set', () => {
  const response: RemotingCommand = { code: 0, language: 'JAVA', version: 401, opaque: 42, flag: 1, extFields: {}, serializeType: 'JSON' };
  assert.equal(
    encodeJsonHeader(response).toString(),
    '{"code":0,"language":"JAVA","version":401,"opaque":42,"flag":1,"extFields":{},"serializeTypeCurrentRPC":"JSON"}',
  );
  const frame = encodeCommand({ ...response, remark: 'ok' });
  assert.equal(frame.readInt32BE(0), frame.length - 4);
  assert.equal(frame[4], 0, 'JSON type byte');
  assert.equal(frame.readUInt32BE(4), frame.length - 8, 'no body: header fills the frame');
  const back = decodeFrame(frame.subarray(4));
  assert.equal(back.remark, 'ok');
  assert.equal(back.body, undefined);
});

test('JSON header: malformed headers are refused', () => {
  protocolError(() => decodeJsonHeader(Buffer.from('{"code":')), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeJsonHeader(Buffer.from('[1]')), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeJsonHeader(Buffer.from('{"language":"JAVA"}')), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeJsonHeader(Buffer.from('{"code":1.5}')), 'REMOTING_BAD_HEADER');
  protocolError(() => decodeJsonHeader(Buffer.from('{"code":1,"extFields":[]}')), 'REMOTING_BAD_HEADER');
  assert.deepEqual(decodeJsonHeader(Buffer.from('{"code":"12","extFields":{"o":{"x":1},"__proto__":"p"}}')).extFields, { o: '{"x":1}' });
});

function sampleFrames(): { bytes: Buffer; commands: RemotingCommand[] } {
  const commands: RemotingCommand[] = [
    { ...sendV2 },
    { code: 34, language: 'JAVA', version: 401, opaque: 8, flag: 0, extFields: {}, body: Buffer.from('{"clientID":"c"}'), serializeType: 'JSON' },
    { code: 0, language: 'JAVA', version: 401, opaque: 9, flag: 1, remark: 'x', extFields: { offset: '12' }, serializeType: 'JSON' },
  ];
  return { bytes: Buffer.concat(commands.map(encodeCommand)), commands };
}

test('FrameDecoder: several frames per chunk, and a split at every byte boundary', () => {
  const { bytes, commands } = sampleFrames();
  assert.deepEqual(new FrameDecoder().push(bytes), commands);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoder = new FrameDecoder();
    const got = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
    assert.deepEqual(got, commands, `cut at ${cut}`);
    assert.equal(decoder.pendingBytes, 0);
  }
  const oneByOne = new FrameDecoder();
  const got: RemotingCommand[] = [];
  for (let i = 0; i < bytes.length; i++) got.push(...oneByOne.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(got, commands);
});

test('FrameDecoder: the length is refused before the frame is buffered', () => {
  const decoder = new FrameDecoder({ maxFrameBytes: 1024 });
  protocolError(() => decoder.push(i32(1021)), 'REMOTING_FRAME_TOO_LARGE');
  assert.equal(decoder.pendingBytes, 0);
  protocolError(() => decoder.push(Buffer.alloc(1)), 'REMOTING_FRAME_TOO_LARGE'); // stays failed
  protocolError(() => new FrameDecoder().push(Buffer.from([0x01, 0, 0, 0])), 'REMOTING_FRAME_TOO_LARGE');
  assert.deepEqual(new FrameDecoder({ maxFrameBytes: 1024 }).push(i32(1020)), [], 'exactly the limit waits for more');
});

test('FrameDecoder: garbage is refused', () => {
  protocolError(() => new FrameDecoder().push(i32(-5)), 'REMOTING_BAD_FRAME');
  protocolError(() => new FrameDecoder().push(Buffer.concat([i32(2), Buffer.alloc(2)])), 'REMOTING_BAD_FRAME');
  protocolError(() => new FrameDecoder().push(Buffer.concat([i32(8), Buffer.from([2, 0, 0, 0]), i32(0)])), 'REMOTING_BAD_SERIALIZE_TYPE');
  protocolError(() => new FrameDecoder().push(Buffer.concat([i32(8), i32(100), i32(0)])), 'REMOTING_BAD_FRAME');
  protocolError(() => new FrameDecoder().push(Buffer.concat([i32(7), i32(3), Buffer.from('{x}')])), 'REMOTING_BAD_HEADER');
  protocolError(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n\r\n')), 'REMOTING_FRAME_TOO_LARGE');
});
