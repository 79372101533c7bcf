#!/usr/bin/env bash
# Sockets of the host per TCP state (org.tcpjmx:type=States, attribute Histogram), read with a GET.
#
#   histogram.sh [--url URL]
#
# Prints "STATE COUNT", one line per state, all eleven states (zeros included).
# URL: --url, else $TCPJMX_URL, else the demo's http://127.0.0.1:8778/jolokia/
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi

answer=$(curl -sS "${url%/}/read/org.tcpjmx:type=States/Histogram")
# {"value":{"CLOSE_WAIT":3,"ESTABLISHED":12,...},"status":200,...}: one "STATE COUNT" line per pair.
if ! grep -q '"status":200' <<<"$answer"; then
    echo "histogram: the agent answered: $answer" >&2
    exit 1
fi
grep -o '"[A-Z_0-9]*":[0-9]*' <<<"$answer" | tr -d '"' | tr ':' ' ' | sort
