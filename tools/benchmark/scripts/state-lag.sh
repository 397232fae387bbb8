#!/usr/bin/env bash
# Consumer-state lag on a replica: SYNC_MASTER + replica, 300k messages, an 18 s receive/ack load on the master,
# and a poller comparing the group's consumed offsets on both every 100 ms (see docs/benchmarks.md).
# Needs the workspace built (npm run build).
set -u
REPO=$(cd "$(dirname "$0")/../../.." && pwd); D=$(mktemp -d /tmp/sl-XXXX); cd $REPO
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $D/ns.log 2>&1 & NS=$!; sleep 1.5
node apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 --metricsPort -1 --storePathRootDir $D/m --brokerRole SYNC_MASTER --haPreOnlineWaitMs 0 > $D/m.log 2>&1 & M=$!
for i in $(seq 1 50); do grep -q '"ready"' $D/m.log && break; sleep 0.2; done
node apps/ha-replicator/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18091 --listenPort 20921 --metricsPort -1 --storePathRootDir $D/r --brokerRole SLAVE --brokerId 1 --haMasterAddress 127.0.0.1:20911 > $D/r.log 2>&1 & R=$!
for i in $(seq 1 50); do grep -q '"to":"transferring"' $D/r.log && break; sleep 0.2; done
node tools/benchmark/dist/src/main.js producer --endpoint 127.0.0.1:18081 --metricsUrl '' --count 300000 --batch 64 --concurrency 16 --durationSec 60 > /dev/null 2>&1
node "$REPO/tools/benchmark/scripts/state-lag.cjs" 127.0.0.1:20911 127.0.0.1:20921 BenchGroup 20 > $D/lag.out &  L=$!
node tools/benchmark/dist/src/main.js consumer --mode receive --endpoint 127.0.0.1:18081 --metricsUrl '' --from earliest --durationSec 18 > $D/cons.out 2>&1
wait $L
echo "consumer: $(tail -1 $D/cons.out | cut -c1-200)"
echo "state lag: $(cat $D/lag.out)"
kill $R $M $NS; wait 2>/dev/null; rm -rf $D
