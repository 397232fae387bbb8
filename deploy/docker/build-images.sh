#!/usr/bin/env bash
# Builds orbitmq/<app>:<TAG> for namesrv, broker-store, ha-replicator, filter-server and dashboard from this
# checkout: the workspace is built on the host (npm ci must have run), copied without sources,
# tests and dev dependencies into a temporary context, and each image takes its target of
# deploy/docker/Dockerfile. Prints the image sizes.
# usage: deploy/docker/build-images.sh            (BASE_IMAGE, default node:20-bookworm-slim; TAG, default dev)
#   ENGINE=podman   build with podman instead of docker (default docker)
#   SKIP_BUILD=1    reuse the existing dist output instead of running the Nx build
set -euo pipefail
ENGINE=${ENGINE:-docker}
SKIP_BUILD=${SKIP_BUILD:-0}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BASE_IMAGE=${BASE_IMAGE:-node:20-bookworm-slim}
TAG=${TAG:-dev}
APPS="namesrv broker-store ha-replicator filter-server dashboard"
cd "$REPO"
[ "$SKIP_BUILD" = 1 ] || node node_modules/nx/dist/bin/nx.js run-many -t build --output-style=static > /dev/null
CTX=$(mktemp -d /tmp/orbitmq-image-XXXX)
trap 'rm -rf "$CTX"' EXIT
# package.json of every workspace (npm prune needs them), build output without tests, the protos.
tar --exclude='./*/*/dist/test' --exclude='*.tsbuildinfo' --exclude='*.map' -cf - package.json package-lock.json \
  libs/*/package.json libs/*/dist apps/*/package.json apps/*/dist tools/*/package.json node_modules | tar -C "$CTX" -xf -
(cd "$CTX" && npm prune --omit=dev --offline --no-audit --no-fund > /dev/null)
cp deploy/docker/healthcheck.sh "$CTX/"
for app in $APPS; do
  "$ENGINE" build -q -f deploy/docker/Dockerfile --build-arg "BASE_IMAGE=$BASE_IMAGE" --target "$app" -t "orbitmq/$app:$TAG" "$CTX" > /dev/null
done
# podman names local images localhost/orbitmq/<app>; print them as orbitmq/<app> like docker.
"$ENGINE" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | sed 's#^localhost/##' | grep "^orbitmq/.*:$TAG " | sort
