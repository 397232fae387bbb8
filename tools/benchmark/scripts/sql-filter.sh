#!/usr/bin/env bash
# SQL92 consumption with 0, 1 or 2 filter servers, next to tag-filtered consumption: receive rate
# and the CPU seconds each process spent (from process_cpu_seconds_total), on a preloaded topic.
# usage: tools/benchmark/scripts/sql-filter.sh <filterServers 0|1|2> [messages] [selective-sql] [broad-sql]
#   messages (default 200000) get tag T<seq%10> and properties n=seq%100, region, 4 padding ones.
# Prints one line per consumer run: label | receive rate | broker CPU s | filter servers' CPU s | evaluated.
# BROKER_ARGS adds broker flags (e.g. --filterScanWindowEntries 1024); BROKER_NODE_OPTIONS (e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof') is passed to the broker's node;
# RUNS (default 'selective broad tag all') picks the consumer runs.
set -u
FS=$1; COUNT=${2:-200000}; SELECTIVE=${3:-"n < 10 AND region = 'eu'"}; BROAD=${4:-'n >= 10'}
REPO=$(cd "$(dirname "$0")/../../.." && pwd); DATA=$(mktemp -d /tmp/sqlb-XXXX)
cd "$REPO"
node apps/namesrv/dist/src/main.js --listenHost 127.0.0.1 --listenPort 19876 --metricsPort -1 > $DATA/ns.log 2>&1 &
NS=$!
node ${BROKER_NODE_OPTIONS:-} apps/broker-store/dist/src/main.js -n 127.0.0.1:19876 --listenHost 127.0.0.1 --brokerIP1 127.0.0.1 --grpcServerPort 18081 --listenPort 20911 --metricsPort 15557 --storePathRootDir $DATA/m ${BROKER_ARGS:-} > $DATA/m.log 2>&1 &
BR=$!
for i in $(seq 1 100); do grep -q '"ready"' $DATA/m.log && break; sleep 0.2; done
FSP=""
for k in $(seq 1 $FS); do
  node apps/filter-server/dist/src/main.js --brokerAddr 127.0.0.1:20911 --listenHost 127.0.0.1 --advertisedHost 127.0.0.1 --listenPort $((18700+k)) --metricsPort $((15600+k)) --registerIntervalMs 1000 > $DATA/fs$k.log 2>&1 &
  FSP="$FSP $!"
done
for i in $(seq 1 100); do [ "$(curl -s http://127.0.0.1:15557/metrics | awk '/^orbitmq_filter_servers/{print $2}')" = "$FS" ] && break; sleep 0.2; done

metric() { curl -s "$1" | awk -v n="$2" '$1 ~ "^"n"({|$)" {s+=$2} END {printf "%.3f", s+0}'; }
fscpu() { local s=0; for k in $(seq 1 $FS); do s=$(echo "$s + $(metric http://127.0.0.1:$((15600+k))/metrics process_cpu_seconds_total)" | bc); done; echo $s; }
fsevals() { local s=0; for k in $(seq 1 $FS); do s=$(echo "$s + $(metric http://127.0.0.1:$((15600+k))/metrics orbitmq_filter_server_evaluated_total)" | bc); done; echo $s; }

B=node\ tools/benchmark/dist/src/main.js
$B producer --endpoint 127.0.0.1:18081 --metricsUrl '' --topic SqlBench --count $COUNT --batch 64 --concurrency 8 --properties 6 --size 512 > $DATA/load.log 2>&1 \
  || { echo "preload failed: $(tail -3 $DATA/load.log)"; exit 1; }

run() { # label expected-count filter-args...
  local label=$1 want=$2; shift 2
  local b0=$(metric http://127.0.0.1:15557/metrics process_cpu_seconds_total) f0=$(fscpu) e0=$(fsevals)
  $B consumer --endpoint 127.0.0.1:18081 --metricsUrl '' --topic SqlBench --group "G$label$FS" --from earliest --count $want --receivers 4 --receiveBatch 64 "$@" > $DATA/c.log 2>&1
  local b1=$(metric http://127.0.0.1:15557/metrics process_cpu_seconds_total) f1=$(fscpu) e1=$(fsevals)
  local tps=$(tail -1 $DATA/c.log | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(r.receiveTps+" msg/s ("+r.received+" msgs, "+r.failures+" failures)")')
  echo "fs=$FS $label | $tps | broker CPU $(echo "$b1 - $b0" | bc) s | filter servers CPU $(echo "$f1 - $f0" | bc) s | evaluated by filter servers $(echo "$e1 - $e0" | bc)"
}
# region = 'eu' is seq % 4 == 0 and n < 10 is seq % 100 < 10: 3 in 100 match (0, 4, 8).
for r in ${RUNS:-selective broad tag all}; do
  case $r in
    selective) run selective $((COUNT * 3 / 100)) --sql "$SELECTIVE" ;;
    broad) run broad $((COUNT * 9 / 10)) --sql "$BROAD" ;;
    tag) run tag $((COUNT / 10)) --tags T3 ;;
    all) run all $COUNT ;;
  esac
done
kill $FSP $BR $NS 2>/dev/null; wait 2>/dev/null; sleep 1
rm -rf $DATA
