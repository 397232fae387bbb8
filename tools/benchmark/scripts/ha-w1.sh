#!/usr/bin/env bash
# W1 against a master (role, flush) with or without one replica on this box; samples replica lag.
# usage: tools/benchmark/scripts/ha-w1.sh <label> <ASYNC_MASTER|SYNC_MASTER> <ASYNC_FLUSH|SYNC_FLUSH> <replica yes|no> [durationSec]
set -u
LABEL=$1; ROLE=$2; FLUSH=$3; REP=$4; DUR=${5:-20}
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/hab-XXXX)
cd $REPO
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!; sleep 1.5
node apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 --metricsPort 15557 --storePathRootDir $DATA/m --brokerRole $ROLE --flushDiskType $FLUSH --haPreOnlineWaitMs 0 > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 50); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
RP=""
if [ "$REP" = yes ]; then
  node apps/ha-replicator/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18091 --listenPort 20921 --metricsPort 15567 --storePathRootDir $DATA/r --brokerRole SLAVE --brokerId 1 --flushDiskType $FLUSH --haMasterAddress 127.0.0.1:20911 > $DATA/r.log 2>&1 &
  RP=$!
  for i in $(seq 1 50); do grep -q '"to":"transferring"' $DATA/r.log && break; sleep 0.2; done
fi
sleep 1
( [ "$REP" = yes ] && for i in $(seq 1 $((DUR+3))); do curl -s http://127.0.0.1:15557/metrics | awk '/^rocketmq_ha_replica_lag_bytes/{b=$2} /^rocketmq_ha_replica_lag_ms/{m=$2} END{print b, m}'; sleep 1; done ) > $DATA/lag.log &
LAGP=$!
node tools/benchmark/dist/src/main.js producer --endpoint 127.0.0.1:18081 --metricsUrl http://127.0.0.1:15557/metrics --durationSec $DUR --batch 64 --concurrency 16 --warmupSec 3 > $DATA/bench.log 2>&1
kill $LAGP 2>/dev/null; wait $LAGP 2>/dev/null
LAG=$(sort -n $DATA/lag.log | awk '{b[NR]=$1; if ($2>mm) mm=$2} END {if (NR>0) printf "lag bytes median %s max %s; lag ms max %d (n=%d)", b[int((NR+1)/2)], b[NR], mm, NR}')
echo "$LABEL | $(tail -1 $DATA/bench.log) | $LAG"
[ -n "$RP" ] && kill $RP && wait $RP 2>/dev/null
kill $BR; wait $BR 2>/dev/null; kill $NS; wait $NS 2>/dev/null
rm -rf $DATA
