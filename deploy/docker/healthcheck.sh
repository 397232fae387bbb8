#!/usr/bin/env bash
# Container health check: GET /healthz on the app's metrics port, read from the ready file the app
# writes once it serves (ORBITMQ_READY_FILE). No file yet (starting), no answer within 2 s, or an
# answer other than 200: unhealthy. metricsPort -1 (metrics off): healthy once the file exists.
# bash's /dev/tcp, not node: the check runs every 5 s in every container, and starting node costs
# 0.1-0.17 s of CPU (nine containers: a third of a core on a 2-core host, while the apps start);
# this costs ~10 ms.
ready=$(< "${ORBITMQ_READY_FILE:-/tmp/orbitmq-ready.json}") || exit 1
[[ $ready =~ \"metricsPort\":(-?[0-9]+) ]] || exit 1
port=${BASH_REMATCH[1]}
[ "$port" = -1 ] && exit 0
[ "$port" -gt 0 ] || exit 1
exec 3<> "/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
IFS= read -r -t 2 status <&3 || exit 1
[[ $status =~ ^HTTP/1\.[01]\ 200 ]]
