#!/usr/bin/env bash
# W2 (signed, 5,000 msg/s) against a broker with aclEnable, with or without a flood of bad
# signatures from acl-flood.cjs in its own process; a fresh name server and broker per run.
# usage: tools/benchmark/scripts/acl-flood-w2.sh <label> <floodInFlight|0> [durationSec=20] [extra broker flags...]
# KEEP=1 keeps the data directory (logs) of the run; BROKER_NODE_ARGS adds node flags to the broker;
# USR2=1 sends SIGUSR2 to the broker around the measured phase (for a profiler preloaded with -r).
set -u
LABEL=$1; INFLIGHT=$2; DUR=${3:-20}; shift; shift; [ $# -gt 0 ] && shift; EXTRA=("$@")
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/aclw2-XXXX)
cd $REPO
cat > $DATA/plain_acl.yml <<'YML'
accounts:
  - accessKey: BenchUser1
    secretKey: bench-secret
    admin: true
    defaultTopicPerm: PUB|SUB
    defaultGroupPerm: PUB|SUB
YML
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!; sleep 1.5
node --initial-old-space-size=256 ${BROKER_NODE_ARGS:-} apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 \
  --metricsPort 15557 --storePathRootDir $DATA/m --aclEnable true --aclFilePath $DATA/plain_acl.yml "${EXTRA[@]}" > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 50); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
FP=""
if [ "$INFLIGHT" != 0 ]; then
  # niced: on two shared cores a flooder spinning on its own fast failures would otherwise measure
  # its CPU, not the broker (an attacker runs elsewhere)
  nice -n 19 node tools/benchmark/scripts/acl-flood.cjs 127.0.0.1:18081 BenchUser1 $((DUR + 4)) $INFLIGHT > $DATA/flood.log 2>&1 &
  FP=$!; sleep 1
fi
[ -n "${USR2:-}" ] && kill -USR2 $BR
ORBITMQ_ACCESS_KEY=BenchUser1 ORBITMQ_SECRET_KEY=bench-secret node tools/benchmark/dist/src/main.js e2e --endpoint 127.0.0.1:18081 --metricsUrl http://127.0.0.1:15557/metrics \
  --rate 5000 --batch 8 --concurrency 8 --durationSec $DUR --warmupSec 5 --mode pull --receiveBatch 32 --topic W2 > $DATA/bench.log 2>&1
[ -n "${USR2:-}" ] && kill -USR2 $BR && sleep 1
[ -n "$FP" ] && wait $FP
HELD=$(curl -s http://127.0.0.1:15557/metrics | awk '/^orbitmq_acl_refusals_delayed_total/{d=$2} /^orbitmq_acl_refusals_withdrawn_total/{w=$2} END{print "delayed " d ", withdrawn " w}')
echo "$LABEL | $(tail -1 $DATA/bench.log) | flood: $(cat $DATA/flood.log 2>/dev/null | tail -1) | $HELD"
kill $BR; wait $BR 2>/dev/null; kill $NS; wait $NS 2>/dev/null
[ -z "${KEEP:-}" ] && rm -rf $DATA || echo "kept $DATA"
