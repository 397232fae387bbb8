#!/usr/bin/env bash
# Time from master SIGKILL to the first message a running SimpleConsumer (access point: the replica) gets.
set -u
REPO=$(cd "$(dirname "$0")/../../.." && pwd); D=$(mktemp -d /tmp/fo-XXXX); cd $REPO
HA="--brokerName bfo --brokerNotActiveTimeoutMillis 10000 --registerNameServerPeriod 3000"
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $D/ns.log 2>&1 & NS=$!; sleep 1.5
node apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 --metricsPort -1 --storePathRootDir $D/m --brokerRole SYNC_MASTER $HA > $D/m.log 2>&1 & M=$!
for i in $(seq 1 50); do grep -q '"ready"' $D/m.log && break; sleep 0.2; done
node apps/ha-replicator/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18091 --listenPort 20921 --metricsPort -1 --storePathRootDir $D/r --brokerRole SLAVE --brokerId 1 $HA > $D/r.log 2>&1 & R=$!
for i in $(seq 1 50); do grep -q '"to":"transferring"' $D/r.log && break; sleep 0.2; done
node tools/mqadmin/dist/src/main.js updateTopic -n 127.0.0.1:19876 -t FoT -c DefaultCluster -r 8 -w 8 > /dev/null
node "$REPO/tools/benchmark/scripts/failover-consumer.cjs" 127.0.0.1:18091 FoG FoT > $D/c.log 2>&1 & C=$!
for i in $(seq 1 50); do grep -q started $D/c.log && break; sleep 0.2; done
sleep 2
# A backlog the consumer cannot keep up with instantly: 20k messages.
node tools/benchmark/dist/src/main.js producer --endpoint 127.0.0.1:18081 --metricsUrl '' --topic FoT --count 20000 --batch 64 --concurrency 4 --size 256 > /dev/null 2>&1
KILL=$(date +%s%3N); kill -9 $M
sleep ${WAIT:-45}
# The first message from the replica: after the first failed receive that follows the kill (a receive in flight may still return from the master).
ERR=$(awk -v k=$KILL '$1=="err" && $2>=k {print $2; exit}' $D/c.log)
FIRST=$(awk -v e=${ERR:-$KILL} '$1=="got" && $3>e {print $3; exit}' $D/c.log)
echo "kill at $KILL; first message after the kill at ${FIRST:-none}: $(( ${FIRST:-$KILL} - KILL )) ms; consumed after kill: $(awk -v k=$KILL '$1=="got" && $3>k {n+=$2} END{print n+0}' $D/c.log)"
kill $C $R $NS 2>/dev/null; wait 2>/dev/null; DRAINED=$(awk '$1=="got" {last=$3} END {print last}' $D/c.log); echo "drained (last message) $(( DRAINED - KILL )) ms after the kill"; rm -rf $D
