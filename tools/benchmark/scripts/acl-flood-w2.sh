#!/usr/bin/env bash
# W2 (signed, 5,000 msg/s) against a broker with aclEnable, with or without a flood of bad
# signatures from acl-flood.cjs in its own process; a fresh name server and broker per run.
# usage: tools/benchmark/scripts/acl-flood-w2.sh <label> <floodInFlight|0> [durationSec=20] [extra broker flags...]
# KEEP=1 keeps the data directory (logs) of the run; BROKER_NODE_ARGS adds node flags to the broker;
# USR2=1 sends SIGUSR2 to the broker around the measured phase (for a profiler preloaded with -r);
# ELSEWHERE=1 floods a second name server and ACL broker on this machine instead of the measured one:
# the control for what sharing two cores with a flood costs, the measured broker untouched.
# PIN=1 gives the name servers and brokers core 0 and the good client and the (niced) flooder core 1: the
# flooder then takes CPU from no one but itself and the good client (below it), as an attacker elsewhere
# would, and what is left is the broker's own handling of the flood. Compare PIN=1 runs with PIN=1 runs.
# LEAD=<sec> starts the flooder that long before the good client (default 1): with LEAD=15 the flood's
# opening (its first calls, read before its connection is braked, and their held answers at 0.9 of its
# 10 s deadline) falls before the measured phase, which then sees the flood's steady state.
# FLOOD_AT=host:port floods another endpoint (e.g. a server that never reads: the flooder's own cost).
# PROTO=4x floods the remoting port with acl-flood-4x.cjs (badly signed 4.x sends) instead.
# TLS=1: the brokers' ports enforce TLS (a CA made here); the good client and the v5 flooder use it
# (not with PROTO=4x: acl-flood-4x.cjs speaks plaintext).
# GOOD_V6=1: the measured broker listens on :: and the good client comes from ::1 while the flood comes
# from 127.0.0.1: a good client at another address than the flooder's, against the same broker.
set -u
LABEL=$1; INFLIGHT=$2; DUR=${3:-20}; shift; shift; [ $# -gt 0 ] && shift; EXTRA=("$@")
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/aclw2-XXXX)
SERVERS=(); CLIENTS=()
LISTEN_HOST=127.0.0.1; GOOD_HOST=127.0.0.1
[ -n "${GOOD_V6:-}" ] && LISTEN_HOST=:: && GOOD_HOST='[::1]'
[ -n "${PIN:-}" ] && SERVERS=(taskset -c 0) && CLIENTS=(taskset -c 1)
cd $REPO
# shellcheck source=acl-bench-account.sh
. "$REPO/tools/benchmark/scripts/acl-bench-account.sh"
write_bench_acl $DATA
BENCH_TLS_FLAGS=""
[ -n "${TLS:-}" ] && write_bench_tls $DATA
PIDS=()
# start_cluster <suffix> <ns port> <grpc port> <remoting port> <metrics port> [node args...]
start_cluster() {
  local s=$1 ns=$2 grpc=$3 rem=$4 met=$5; shift 5
  "${SERVERS[@]}" node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort $ns --metricsPort -1 > $DATA/ns$s.log 2>&1 &
  PIDS+=($!); sleep 1.5
  "${SERVERS[@]}" node --initial-old-space-size=256 "$@" apps/broker-store/dist/src/main.js -n 127.0.0.1:$ns --listenHost $LISTEN_HOST --brokerIP1 127.0.0.1 --grpcServerPort $grpc \
    --listenPort $rem --metricsPort $met --storePathRootDir $DATA/m$s --aclEnable true --aclFilePath $DATA/plain_acl.yml $BENCH_TLS_FLAGS "${EXTRA[@]}" > $DATA/m$s.log 2>&1 &
  BR=$!; PIDS+=($BR)
  for i in $(seq 1 50); do grep -q '"ready"' $DATA/m$s.log && break; sleep 0.2; done
}
if [ "${PROTO:-v5}" = 4x ]; then FLOODER=acl-flood-4x.cjs; PORT_HERE=20911; PORT_THERE=20931; else FLOODER=acl-flood.cjs; PORT_HERE=18081; PORT_THERE=18091; fi
FLOOD_AT=${FLOOD_AT:-127.0.0.1:$PORT_HERE}
if [ -n "${ELSEWHERE:-}" ]; then start_cluster 2 19877 18091 20931 15567; FLOOD_AT=127.0.0.1:$PORT_THERE; fi
# shellcheck disable=SC2086
start_cluster "" 19876 18081 20911 15557 ${BROKER_NODE_ARGS:-}
FP=""
if [ "$INFLIGHT" != 0 ]; then
  # niced: on two shared cores a flooder spinning on its own fast failures would otherwise measure
  # its CPU, not the broker (an attacker runs elsewhere)
  LEAD=${LEAD:-1}
  nice -n 19 "${CLIENTS[@]}" node tools/benchmark/scripts/$FLOODER $FLOOD_AT BenchUser1 $((DUR + 3 + LEAD)) $INFLIGHT > $DATA/flood.log 2>&1 &
  FP=$!; sleep $LEAD
fi
[ -n "${USR2:-}" ] && kill -USR2 $BR
# the measured broker's CPU (all threads: utime + stime, 10 ms ticks) over the good client's run
cpu_ms() { awk '{print ($14 + $15) * 10}' /proc/$BR/stat; }
CPU0=$(cpu_ms)
ORBITMQ_ACCESS_KEY=BenchUser1 ORBITMQ_SECRET_KEY=bench-secret "${CLIENTS[@]}" node tools/benchmark/dist/src/main.js e2e --endpoint $GOOD_HOST:18081 --metricsUrl http://127.0.0.1:15557/metrics \
  --rate 5000 --batch 8 --concurrency 8 --durationSec $DUR --warmupSec 5 --mode pull --receiveBatch 32 --topic W2 > $DATA/bench.log 2>&1
CPU1=$(cpu_ms)
[ -n "${USR2:-}" ] && kill -USR2 $BR && sleep 1
[ -n "$FP" ] && wait $FP
HELD=$(curl -s http://127.0.0.1:15557/metrics | awk '/^orbitmq_acl_refusals_delayed_total/{d=$2} /^orbitmq_acl_refusals_withdrawn_total/{w=$2} END{print "delayed " d ", withdrawn " w}')
HELD="$HELD | broker CPU $((CPU1 - CPU0)) ms"
BRAKED=$(curl -s http://127.0.0.1:15557/metrics | awk '/^rocketmq_connections_braked_total\{server="(client|remoting)"/{c+=$2; n=1} /^rocketmq_connections_braked_calls_total\{server="(client|remoting)"/{s+=$2} END{if (n) print "braked connections " c ", calls read from them " s}')
[ -n "$BRAKED" ] && HELD="$HELD | $BRAKED"
echo "$LABEL${PIN:+ (pinned)}${TLS:+ (TLS)}${GOOD_V6:+ (good client from ::1)} | $(tail -1 $DATA/bench.log) | flood${ELSEWHERE:+ (at the other broker)}: $(cat $DATA/flood.log 2>/dev/null | tail -1) | $HELD"
kill "${PIDS[@]}"; wait "${PIDS[@]}" 2>/dev/null
[ -z "${KEEP:-}" ] && rm -rf $DATA || echo "kept $DATA"
