#!/usr/bin/env bash
# Runs the pods of the Kubernetes manifests with `podman kube play` (no cluster can run on these
# machines): renders each overlay (`kubectl kustomize deploy/k8s/overlays/<layout>`), turns it
# into Pods on the host network with every port moved by PORT_OFFSET (deploy/ci/kube-play.mjs),
# plays it, waits until every name server lists every broker with every filter server
# (mqadmin clusterList), sends and receives messages through a master (benchmark e2e), then
# `podman kube down` and removes the volumes it created. Cleans up on any exit.
#
# Needs root. Installs Debian's podman, runc and catatonit when missing; podman runs with runc
# (crun fails on this hybrid cgroup setup) and rlimits the shell may grant (a containers.conf in
# a temporary directory, passed with CONTAINERS_CONF; the system's is left alone).
#
# usage: deploy/ci/kube-play.sh
#   LAYOUTS="2m-noslave 2m-2s-sync"   overlays to run, one after the other (default 2m-noslave)
#   PORT_OFFSET=21000                 added to every port (default ports and +20000 stay free)
#   TAG=kubeplay                      tag of the orbitmq/<app> images built and played
#   WAIT_SEC=120                      how long pods may take until every broker is registered
#   COUNT=2000                        messages benchmark e2e sends and must receive
# Prints `kube-play: OK (...)`, `kube-play: FAILED — <why>` (exit 1), or `kube-play: SKIPPED — <why>`
# (exit 0) where podman cannot be installed.
set -uo pipefail
cd "$(dirname "$0")/../.."
START=$(date +%s)
LAYOUTS=${LAYOUTS:-2m-noslave}
PORT_OFFSET=${PORT_OFFSET:-21000}
TAG=${TAG:-kubeplay}
WAIT_SEC=${WAIT_SEC:-120}
COUNT=${COUNT:-2000}
WORK=$(mktemp -d /tmp/orbitmq-kube-play-XXXX)
PLAYED=()   # kube files played (podman kube down on exit)
CREATED=()  # volumes this run created (removed on exit)
MQADMIN=tools/mqadmin/dist/src/main.js
BENCH=tools/benchmark/dist/src/main.js

log() { echo "kube-play: [$(($(date +%s) - START))s] $*"; }
fail() {
  echo "kube-play: FAILED — $*"
  exit 1
}
down() {
  local f v
  for f in "${PLAYED[@]}"; do podman kube down "$f" > /dev/null 2>&1; done
  PLAYED=()
  for v in "${CREATED[@]}"; do podman volume rm -f "$v" > /dev/null 2>&1 || echo "kube-play: could not remove volume $v"; done
  CREATED=()
}
cleanup() {
  down
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Like deploy/ci/containers.sh: a machine that cannot have the engine says so and passes.
skip() {
  echo "kube-play: SKIPPED — $*"
  exit 0
}
[ "$(id -u)" = 0 ] || skip "needs root (podman as root, apt-get)"
missing=""
for cmd in podman runc catatonit; do command -v "$cmd" > /dev/null || missing="$missing $cmd"; done
if [ -n "$missing" ]; then
  log "installing$missing (apt-get)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc catatonit) > "$WORK/apt.log" 2>&1 \
    || skip "apt-get could not install podman runc catatonit: $(tail -2 "$WORK/apt.log")"
fi
command -v debootstrap > /dev/null || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap > "$WORK/apt.log" 2>&1) \
  || skip "apt-get could not install debootstrap: $(tail -2 "$WORK/apt.log")"
command -v kubectl > /dev/null || skip "kubectl (kubectl kustomize renders the overlays) is not installed"
cat > "$WORK/containers.conf" << 'EOF'
[containers]
# The shell's hard limits (no CAP_SYS_RESOURCE here): podman's defaults (1048576) make runc fail.
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
# crun: "cgroups in hybrid mode not supported".
runtime = "runc"
EOF
export CONTAINERS_CONF=$WORK/containers.conf
log "$(podman --version), runc $(runc --version | awk 'NR==1{print $3}'), catatonit $(catatonit --version 2>&1 | awk '{print $3; exit}')"

log "building the workspace (nx run-many -t build)"
node node_modules/nx/dist/bin/nx.js run-many -t build --output-style=static > "$WORK/nx.log" 2>&1 \
  || fail "nx build failed: $(grep -m3 -E 'error|Error' "$WORK/nx.log")"
NODE_VERSION=$(node -p process.versions.node)
log "base image local/node:$NODE_VERSION (podman; debootstrap on the first run)"
ENGINE=podman NODE_VERSION=$NODE_VERSION deploy/docker/base-offline.sh > "$WORK/base.log" 2>&1 || fail "base image: $(tail -3 "$WORK/base.log")"
log "images orbitmq/<app>:$TAG"
ENGINE=podman SKIP_BUILD=1 BASE_IMAGE=localhost/local/node:$NODE_VERSION TAG=$TAG deploy/docker/build-images.sh > "$WORK/images.log" 2>&1 \
  || fail "build-images.sh: $(tail -3 "$WORK/images.log")"
sed 's/^/  /' "$WORK/images.log"

# clusterList of one name server as JSON -> "ok" when every broker of the summary is there with
# every filter server, else what is missing.
check_cluster() { # summary-file clusterList-json-file
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    let clusters;
    try { clusters = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8")); } catch { console.log("no answer"); process.exit(1); }
    const members = clusters.flatMap((c) => c.brokers);
    const fs = s.filterServers.map((f) => `127.0.0.1:${f.grpc}`);
    const missing = [];
    for (const b of s.brokers) {
      const m = members.find((x) => x.endpoints?.clientEndpoint === `127.0.0.1:${b.grpc}`);
      if (!m) { missing.push(`${b.pod} not registered`); continue; }
      const lacks = fs.filter((f) => !(m.filterServerEndpoints ?? []).includes(f));
      if (lacks.length) missing.push(`${b.pod} lacks filter servers ${lacks.join(",")}`);
    }
    console.log(missing.length ? missing.join("; ") : `ok: ${members.length} brokers (${members.map((m) => `${m.broker.brokerName}/${m.broker.brokerId} ${m.endpoints.clientEndpoint} filter servers ${m.filterServerEndpoints.length}`).join(", ")})`);
    process.exit(missing.length ? 1 : 0);
  ' "$1" "$2"
}

show_pods() {
  podman pod ps --format '{{.Name}} {{.Status}} containers={{.NumberOfContainers}}' | sort | sed 's/^/  pod /'
  podman ps -a --format '{{.Names}} {{.Status}}' | grep -v -- '-infra ' | sort | sed 's/^/  container /'
}
pod_logs() {
  local c
  for c in $(podman ps -a --format '{{.Names}}' | grep -v -- '-infra$'); do
    echo "  --- $c (last 5 lines)"
    podman logs --tail 5 "$c" 2>&1 | sed 's/^/  /'
  done
}

RESULTS=()
for layout in $LAYOUTS; do
  T0=$(date +%s)
  KUBE=$WORK/$layout.yaml
  SUMMARY=$WORK/$layout.json
  kubectl kustomize "deploy/k8s/overlays/$layout" > "$WORK/$layout.rendered.yaml" 2> "$WORK/kustomize.log" \
    || fail "kubectl kustomize deploy/k8s/overlays/$layout: $(tail -2 "$WORK/kustomize.log")"
  node deploy/ci/kube-play.mjs --in "$WORK/$layout.rendered.yaml" --tag "$TAG" --port-offset "$PORT_OFFSET" --out "$KUBE" --summary "$SUMMARY" 2> "$WORK/convert.log" \
    || fail "kube-play.mjs: $(cat "$WORK/convert.log")"
  sed 's/^kube-play.mjs: /  /' "$WORK/convert.log"
  NAMESRV=$(node -p "require('$SUMMARY').namesrvAddr")
  for v in $(node -p "require('$SUMMARY').volumes.join(' ')"); do
    podman volume exists "$v" && fail "volume $v exists already (not made by this run; remove it with podman volume rm $v)"
  done
  log "$layout: podman kube play ($(grep -c '^kind: Pod$' "$KUBE") pods, name servers $NAMESRV)"
  PLAYED+=("$KUBE")
  for v in $(node -p "require('$SUMMARY').volumes.join(' ')"); do CREATED+=("$v"); done
  podman kube play "$KUBE" > "$WORK/play.log" 2>&1 || {
    cat "$WORK/play.log"
    show_pods
    fail "$layout: podman kube play failed: $(grep -m1 -i error "$WORK/play.log")"
  }
  show_pods

  log "$layout: waiting (at most ${WAIT_SEC}s) until every name server lists every broker with every filter server"
  deadline=$(($(date +%s) + WAIT_SEC))
  IFS=';' read -ra NSS <<< "$NAMESRV"
  while :; do
    all=1
    report=""
    for ns in "${NSS[@]}"; do
      node "$MQADMIN" clusterList -n "$ns" --json --timeoutMs 2000 > "$WORK/cluster.json" 2> /dev/null
      r=$(check_cluster "$SUMMARY" "$WORK/cluster.json") || all=0
      report="$report
  namesrv $ns: $r"
    done
    [ $all = 1 ] && break
    if [ "$(date +%s)" -ge $deadline ]; then
      show_pods
      pod_logs
      fail "$layout: not every broker and filter server registered after ${WAIT_SEC}s:$report"
    fi
    sleep 1
  done
  log "$layout: registered after $(($(date +%s) - T0))s since play:$report"
  node "$MQADMIN" clusterList -n "${NSS[0]}" | sed 's/^/  /'

  MASTER_GRPC=$(node -p "require('$SUMMARY').brokers.find((b) => b.role === 'master').grpc")
  MASTER_METRICS=$(node -p "require('$SUMMARY').brokers.find((b) => b.role === 'master').metrics")
  log "$layout: benchmark e2e --count $COUNT through 127.0.0.1:$MASTER_GRPC"
  node "$BENCH" e2e --endpoint "127.0.0.1:$MASTER_GRPC" --metricsUrl "http://127.0.0.1:$MASTER_METRICS/metrics" \
    --count "$COUNT" --durationSec 120 --topic KubePlayTopic --group KubePlayGroup > "$WORK/e2e.log" 2>&1
  rc=$?
  sed 's/^/  /' "$WORK/e2e.log"
  [ $rc = 0 ] || { show_pods; fail "$layout: benchmark e2e exited $rc"; }

  if [ "$(node -p "require('$SUMMARY').brokers.filter((b) => b.role === 'replica').length")" -gt 0 ]; then
    log "$layout: waiting (at most ${WAIT_SEC}s) until every master reports its replicas in sync (mqadmin haStatus)"
    deadline=$(($(date +%s) + WAIT_SEC))
    until node "$MQADMIN" haStatus -n "$NAMESRV" -c DefaultCluster --json 2> /dev/null | node -e '
      const s = require(process.argv[1]);
      let st; try { st = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch { process.exit(1); }
      const bad = s.brokers.filter((b) => b.role === "replica").filter((r) => {
        const m = st.find((x) => x.brokerName === r.brokerName && x.role !== "SLAVE" && !x.error);
        return !m || !(m.replicas ?? []).some((x) => x.inSync);
      });
      process.exit(bad.length ? 1 : 0);
    ' "$SUMMARY"; do
      [ "$(date +%s)" -lt $deadline ] || { node "$MQADMIN" haStatus -n "$NAMESRV" -c DefaultCluster; fail "$layout: replicas not in sync after ${WAIT_SEC}s"; }
      sleep 1
    done
    node "$MQADMIN" haStatus -n "$NAMESRV" -c DefaultCluster | sed 's/^/  /'
  fi
  for v in $(node -p "require('$SUMMARY').claims.join(' ')"); do
    mp=$(podman volume inspect --format '{{.Mountpoint}}' "$v")
    echo "  volume $v (claim): $(du -sh "$mp" | cut -f1), owner $(stat -c %u:%g "$mp"), $(find "$mp" -type f | wc -l) files"
  done
  show_pods
  restarts=$(for c in $(podman ps -a --format '{{.Names}}' | grep -v -- '-infra$'); do podman inspect --format '{{.Name}} {{.RestartCount}}' "$c"; done | awk '$2 > 0' | tr '\n' ' ')
  [ -z "$restarts" ] || fail "$layout: containers restarted: $restarts"
  log "$layout: podman kube down, removing volumes ${CREATED[*]}"
  down
  RESULTS+=("$layout $(($(date +%s) - T0))s")
done
echo "kube-play: OK (${RESULTS[*]}; total $(($(date +%s) - START))s, ports +$PORT_OFFSET)"
