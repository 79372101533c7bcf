#!/usr/bin/env bash
# The kernel's TCP counters, as nstat names them (org.tcpjmx:type=Statistics).
#
#   kernel-counters.sh [--url URL] [COUNTER...]    e.g.  kernel-counters.sh TcpExtListenOverflows TcpRetransSegs
#
# Without COUNTER: every counter the kernel has (one GET of the whole MBean); with: those only (one POST).
# Prints "COUNTER VALUE" lines.
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi

if [ $# -eq 0 ]; then
    answer=$(curl -sS "${url%/}/read/org.tcpjmx:type=Statistics")
else
    names=$(printf '"%s",' "$@")
    answer=$(curl -sS -X POST -H 'Content-Type: application/json' "$url" \
        -d "{\"type\":\"read\",\"mbean\":\"org.tcpjmx:type=Statistics\",\"attribute\":[${names%,}]}")
fi
if ! grep -q '"status":200' <<<"$answer"; then
    echo "kernel-counters: the agent answered: $answer" >&2
    exit 1
fi
# {"value":{"TcpActiveOpens":12,...}}: counters are named Tcp..., TcpExt...
grep -o '"Tcp[A-Za-z0-9]*":-\{0,1\}[0-9]*' <<<"$answer" | tr -d '"' | tr ':' ' '
