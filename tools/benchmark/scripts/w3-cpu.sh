#!/usr/bin/env bash
# CPU per message of a W3-shaped read (remoting): fill a topic, then read it from the start while
# /proc counts the broker's CPU per thread (main thread, V8 workers, libuv threadpool, LevelDB) and
# /usr/bin/time the consumer's. Throughput on a shared VM varies ±15 % between runs; CPU per
# message moves less, so A/B builds with this, in alternation.
# usage: tools/benchmark/scripts/w3-cpu.sh [messages=400000]   (env BROKER_NODE_ARGS adds node flags)
set -u
N=${1:-400000}
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/w3cpu-XXXX)
cd $REPO
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!; sleep 1.5
node --initial-old-space-size=256 ${BROKER_NODE_ARGS:-} apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 \
  --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 --metricsPort 15557 --storePathRootDir $DATA/m > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 50); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
B="node tools/benchmark/dist/src/main.js"
$B producer --protocol remoting --endpoint 127.0.0.1:19876 --count $N --batch 64 --topic W3 > /dev/null 2>&1
snap() { for t in /proc/$BR/task/*; do echo "$(basename $t) $(awk '{print $14+$15}' $t/stat)"; done | sort; }
snap > $DATA/before
/usr/bin/time -o $DATA/tool.time -f "%U %S" $B consumer --protocol remoting --endpoint 127.0.0.1:19876 --mode pull --from earliest \
  --count $N --topic W3 --receiveBatch 256 --pullDepth 4 > $DATA/bench.log 2>&1
snap > $DATA/after
TK=$(getconf CLK_TCK)
echo "$(grep -o '"receiveTps":[0-9]*' $DATA/bench.log) tool $(awk -v n=$N '{printf "%.2f", ($1+$2)*1e6/n}' $DATA/tool.time) us/msg"
# Broker threads by CPU per message; the main thread's id is the process id.
join $DATA/before $DATA/after | awk -v n=$N -v tk=$TK -v main=$BR '{d=$3-$2; if (d>0) {s+=d; printf "  thread %s %.2f us/msg%s\n", $1, d*1e6/tk/n, ($1==main?" (main)":"")}} END {printf "  broker %.2f us/msg in all\n", s*1e6/tk/n}' | sort -k3 -nr
kill $BR; wait $BR 2>/dev/null; kill $NS; wait $NS 2>/dev/null; rm -rf $DATA
