#!/usr/bin/env bash
# One of the issue #16 workloads (W1, W2, W3) against a fresh name server and broker, started as
# `npm start` starts them (ASYNC_FLUSH, --initial-old-space-size=256), over either protocol.
# usage: tools/benchmark/scripts/workload.sh <label> <grpc|remoting> <W1|W2|W3> [extra broker flags...]
# KEEP=1 keeps the data directory; PROF=1 starts the broker with --cpu-prof (written on exit);
# BROKER_NODE_ARGS / TOOL_NODE_ARGS add node flags; USR2=1 sends SIGUSR2 to the broker around the measured phase;
# W3_COUNT changes W3's 200,000 (a longer read for profiles).
set -u
LABEL=$1; PROTO=$2; WL=$3; shift 3; EXTRA=("$@")
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/wl-XXXX)
cd $REPO
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!; sleep 1.5
PROFF=(); [ -n "${PROF:-}" ] && PROFF=(--cpu-prof --cpu-prof-dir $DATA/prof)
node --initial-old-space-size=256 "${PROFF[@]}" ${BROKER_NODE_ARGS:-} apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 \
  --grpcServerPort 18081 --listenPort 20911 --metricsPort 15557 --storePathRootDir $DATA/m "${EXTRA[@]}" > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 50); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
if [ "$PROTO" = remoting ]; then EP=(--protocol remoting --endpoint 127.0.0.1:19876); else EP=(--endpoint 127.0.0.1:18081); fi
B="node ${TOOL_NODE_ARGS:-} tools/benchmark/dist/src/main.js"
case $WL in
  W1) [ -n "${USR2:-}" ] && kill -USR2 $BR
      $B producer "${EP[@]}" --durationSec 15 --batch 64 --concurrency 16 --topic W1 > $DATA/bench.log 2>&1 ;;
  W2) [ -n "${USR2:-}" ] && kill -USR2 $BR
      $B e2e "${EP[@]}" --rate 5000 --batch 8 --concurrency 8 --durationSec 20 --warmupSec 5 --mode pull --receiveBatch 32 --topic W2 > $DATA/bench.log 2>&1 ;;
  W3) $B producer "${EP[@]}" --count ${W3_COUNT:-200000} --topic W3 --batch 64 > $DATA/fill.log 2>&1
      [ -n "${USR2:-}" ] && kill -USR2 $BR
      $B consumer "${EP[@]}" --mode pull --from earliest --count ${W3_COUNT:-200000} --topic W3 --receiveBatch 256 --pullDepth 4 > $DATA/bench.log 2>&1 ;;
esac
[ -n "${USR2:-}" ] && kill -USR2 $BR && sleep 1
echo "$LABEL $PROTO $WL | $(tail -n 1 $DATA/bench.log)"
kill $BR; wait $BR 2>/dev/null; kill $NS; wait $NS 2>/dev/null
[ -z "${KEEP:-}${PROF:-}" ] && rm -rf $DATA || echo "kept $DATA"
