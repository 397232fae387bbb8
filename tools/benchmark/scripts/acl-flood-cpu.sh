#!/usr/bin/env bash
# What a flood of bad signatures costs in CPU, without a good client: an ACL broker and
# acl-flood.cjs alone for <sec> seconds, then the broker's CPU (from /proc, per thread), the
# flooder's CPU, and the broker's CPU per flood call. 0 in flight: the idle broker, for the baseline.
# usage: tools/benchmark/scripts/acl-flood-cpu.sh <sec> <inFlight> [secret] (the right secret: a flood of valid sends)
# EXTRA="broker flags" adds broker flags (e.g. --aclAuthFailureRefusalsPerSecond 0: no pacing);
# BROKER_NODE_ARGS adds node flags to the broker (e.g. --max-semi-space-size=64); PROTO=4x floods
# the remoting port (acl-flood-4x.cjs) instead of the client port; TLS=1 makes a CA and certificate
# (openssl) and floods the client port over TLS (tlsServerMode enforcing).
set -u
SEC=$1; INFLIGHT=$2; SECRET=${3:-}
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/aclcpu-XXXX)
cd $REPO
# shellcheck source=acl-bench-account.sh
. "$REPO/tools/benchmark/scripts/acl-bench-account.sh"
write_bench_acl $DATA
BENCH_TLS_FLAGS=""
[ -n "${TLS:-}" ] && write_bench_tls $DATA
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!; sleep 1.5
# shellcheck disable=SC2086
node --initial-old-space-size=256 ${BROKER_NODE_ARGS:-} apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 \
  --metricsPort 15557 --storePathRootDir $DATA/m --aclEnable true --aclFilePath $DATA/plain_acl.yml $BENCH_TLS_FLAGS ${EXTRA:-} > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 50); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
sleep 1
# per thread: tid, utime+stime in clock ticks (USER_HZ 100: 10 ms each)
threads() { for t in /proc/$BR/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat)"; done | sort; }
threads > $DATA/t0
if [ "$INFLIGHT" = 0 ]; then
  sleep $SEC; echo '{"requests":0}' > $DATA/flood.log
else
  if [ "${PROTO:-v5}" = 4x ]; then FLOODER="acl-flood-4x.cjs 127.0.0.1:20911"; else FLOODER="acl-flood.cjs 127.0.0.1:18081"; fi
  # shellcheck disable=SC2086
  /usr/bin/time -f "%U %S" -o $DATA/flooder.time node tools/benchmark/scripts/$FLOODER BenchUser1 $SEC $INFLIGHT $SECRET > $DATA/flood.log 2>&1
fi
threads > $DATA/t1
METRICS=$(curl -s http://127.0.0.1:15557/metrics)
WITHDRAWN=$(echo "$METRICS" | awk '/^orbitmq_acl_refusals_withdrawn_total/{print $2}')
echo "$METRICS" | grep -E '^rocketmq_connections_braked(_total|_calls_total)?\{' | grep -v ' 0$' | sed 's/^/  /'
kill $BR; wait $BR 2>/dev/null; kill $NS; wait $NS 2>/dev/null
node -e '
const fs = require("fs"); const [dir, main, withdrawn] = process.argv.slice(1);
const read = (f) => new Map(fs.readFileSync(`${dir}/${f}`, "utf8").trim().split("\n").map((l) => l.split(" ").map(Number)));
const t0 = read("t0"), t1 = read("t1"); let total = 0; const per = [];
for (const [tid, ticks] of t1) { const ms = (ticks - (t0.get(tid) ?? 0)) * 10; total += ms; if (ms > 0) per.push(`${tid === +main ? "main" : tid} ${ms}`); }
const flood = JSON.parse(fs.readFileSync(`${dir}/flood.log`, "utf8").trim().split("\n").pop());
const flooder = fs.existsSync(`${dir}/flooder.time`) ? fs.readFileSync(`${dir}/flooder.time`, "utf8").trim().split(" ").reduce((a, b) => a + Number(b) * 1000, 0) : 0;
const calls = flood.requests + Number(withdrawn || 0);
console.log(JSON.stringify({ brokerCpuMs: total, brokerThreadsMs: per.join(", "), flooderCpuMs: Math.round(flooder), flood, withdrawn: Number(withdrawn || 0),
  brokerUsPerCall: calls ? Math.round((total * 1000) / calls) : null }));
' $DATA $BR "$WITHDRAWN"
rm -rf $DATA
