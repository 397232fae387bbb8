#!/usr/bin/env node
// A server that accepts connections and never reads them: the control for acl-flood-w2.sh's
// "does a flood slow good clients" runs (FLOOD_AT=127.0.0.1:<port>). A flood against it costs
// the machine what the flooder itself costs, nothing on the server's side, which is what a braked
// connection tries to leave: the difference between the two runs is the broker's own share.
//   node tools/benchmark/scripts/blackhole.cjs <port> h2    completes the HTTP/2 handshake, then never reads (v5)
//   node tools/benchmark/scripts/blackhole.cjs <port> tcp   never reads at all (4.x remoting)
const http2 = require('node:http2');
const net = require('node:net');

const [port, kind = 'h2'] = process.argv.slice(2);
if (kind === 'h2') {
  const server = http2.createServer();
  // Node's HTTP/2 reads the handle directly (socket.pause would not stop it): stop the handle's reads.
  server.on('session', (s) => {
    s.once('remoteSettings', () => s.socket._handle.readStop());
    s.on('error', () => undefined);
  });
  server.on('stream', (stream) => stream.close());
  server.listen(Number(port), '127.0.0.1');
} else {
  net
    .createServer((socket) => {
      socket.pause();
      socket.on('error', () => undefined);
    })
    .listen(Number(port), '127.0.0.1');
}
