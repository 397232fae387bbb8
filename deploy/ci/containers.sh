#!/usr/bin/env bash
# CI, after npm test: builds every image from this checkout and runs the 2m-2s-sync compose layout
# with the official Node client (deploy/ci/smoke.cjs). Installs Debian's docker.io, docker-compose
# and debootstrap when missing and runs its own dockerd (no bridge, no iptables: host networking),
# stopped by PID at the end. Needs root; the layout runs with every port moved by 20000 (29876,
# 28081, 30911, 25557, ...) so a cluster on the default ports can keep running beside it. A machine where the engine cannot be installed is
# reported as SKIPPED, plainly, with exit 0; any failure once the engine runs fails CI.
set -uo pipefail
cd "$(dirname "$0")/../.."
WORK=$(mktemp -d /tmp/orbitmq-ci-containers-XXXX)
PORT_OFFSET=20000
LAYOUT=$WORK/2m-2s-sync.yml
skip() { echo "containers: SKIPPED — $*"; exit 0; }

if ! command -v dockerd > /dev/null || ! command -v docker-compose > /dev/null || ! command -v debootstrap > /dev/null; then
  [ "$(id -u)" = 0 ] || skip "no container engine and not root to install one"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose debootstrap) > "$WORK/apt.log" 2>&1 \
    || skip "apt-get could not install docker.io docker-compose debootstrap: $(tail -2 "$WORK/apt.log")"
fi
DOCKERD_PID=""
cleanup() {
  docker-compose -f "$LAYOUT" down -v > /dev/null 2>&1
  [ -n "$DOCKERD_PID" ] && kill "$DOCKERD_PID" 2> /dev/null && wait "$DOCKERD_PID" 2> /dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
# A dockerd already running (a service manager's, still starting) gets 30 s to answer before it is
# stopped. The pid files of a dockerd and its containerd that are gone (a machine image taken while
# they ran, a killed daemon) go too: their pid may name another process by now, and then dockerd
# refuses to start ("pid file found") or takes that process for its containerd.
clear_stale_dockerd() {
  if pgrep -x dockerd > /dev/null; then
    for _ in $(seq 1 60); do docker info > /dev/null 2>&1 && return 0; sleep 0.5; done
    echo "containers: a dockerd runs but does not answer in 30 s; stopping it"
    pkill -x dockerd
    for _ in $(seq 1 40); do pgrep -x dockerd > /dev/null || break; sleep 0.5; done
    pkill -9 -x dockerd 2> /dev/null
  fi
  pkill -f /var/run/docker/containerd/containerd.toml 2> /dev/null
  rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
}
if ! docker info > /dev/null 2>&1 && clear_stale_dockerd && ! docker info > /dev/null 2>&1; then
  /usr/sbin/dockerd --iptables=false --bridge=none > "$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do docker info > /dev/null 2>&1 && break; sleep 0.5; done
  docker info > /dev/null 2>&1 || { echo "containers: dockerd did not start: $(tail -5 "$WORK/dockerd.log")"; exit 1; }
fi
set -e
NODE_VERSION=$(node -p process.versions.node)
echo "containers: base image (debootstrap + node $NODE_VERSION)"
NODE_VERSION=$NODE_VERSION deploy/docker/base-offline.sh > /dev/null
echo "containers: images"
BASE_IMAGE=local/node:$NODE_VERSION TAG=ci deploy/docker/build-images.sh 2>&1 | grep '^orbitmq/'
node deploy/compose/gen-compose.mjs --layout 2m-2s-sync --port-offset $PORT_OFFSET --out "$LAYOUT"
for f in deploy/compose/*.yml "$LAYOUT"; do docker-compose -f "$f" config -q; done
echo "containers: 2m-2s-sync (ports + $PORT_OFFSET) up, filter servers scaled to 2"
# compose's whole output (and each container's state and log tail) when it fails: one line says too little.
if ! TAG=ci docker-compose -f "$LAYOUT" up -d --scale filter-server=2 > "$WORK/up.log" 2>&1; then
  echo "containers: docker-compose up failed:"
  cat "$WORK/up.log"
  TAG=ci docker-compose -f "$LAYOUT" ps || true
  TAG=ci docker-compose -f "$LAYOUT" logs --tail=30 || true
  exit 1
fi
tail -1 "$WORK/up.log"
# Every container's state every 2 s while the smoke test runs: when it fails, the timeline says
# which container turned unhealthy and when, and the logs say why.
(while sleep 2; do echo "$(date +%T) $(docker ps -a --format '{{.Names}}={{.Status}}' | sed 's/orbitmq-ci-containers-[a-z0-9]*_//' | tr '\n' ' ')"; done) > "$WORK/states.log" 2>&1 &
STATES_PID=$!
if ! TAG=ci node deploy/ci/smoke.cjs "$LAYOUT" $PORT_OFFSET; then
  kill "$STATES_PID" 2> /dev/null
  echo "containers: smoke test failed; container states every 2 s:"
  cat "$WORK/states.log"
  for c in $(docker ps -aq); do
    echo "--- $(docker inspect -f '{{.Name}} {{.State.Status}} health={{if .State.Health}}{{.State.Health.Status}}{{end}}' "$c")"
    docker inspect -f '{{if .State.Health}}{{range .State.Health.Log}}{{.End}} exit={{.ExitCode}} {{.Output}}{{println}}{{end}}{{end}}' "$c" | tail -6
    docker logs --tail=15 "$c" 2>&1
  done
  exit 1
fi
kill "$STATES_PID" 2> /dev/null
TAG=ci docker-compose -f "$LAYOUT" down -v > /dev/null 2>&1
echo "containers: OK"
