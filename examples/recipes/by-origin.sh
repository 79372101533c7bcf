#!/usr/bin/env bash
# This JVM's own sockets grouped by the code that opened them (org.tcpjmx:type=Connections,
# operation byOrigin; needs origin tracking: agent option trackOrigins=true or Agent.TrackOrigins).
#
#   by-origin.sh [--url URL] [FILTER]      e.g.  by-origin.sh 'state close-wait'
#
# Prints one line per origin, most numerous first: COUNT STATES ORIGIN (oldest AGE s), then the
# agent's JSON answer. Sockets of unknown origin (opened before tracking, or by native code) are
# the group "(unknown)".
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
filter=${1:-}
filter=${filter//\\/\\\\}
filter=${filter//\"/\\\"}
answer=$(curl -sS -X POST -H 'Content-Type: application/json' "$url" \
    -d "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Connections\",\"operation\":\"byOrigin\",\"arguments\":[\"$filter\"]}")
grep -q '"status":200' <<<"$answer" || { echo "$answer" >&2; exit 1; }
# One line per group without jq: split the array at each object, pick the fields.
sed -e 's/},{/}\n{/g' <<<"$answer" | while IFS= read -r group; do
    origin=$(sed -n 's/.*"origin":"\([^"]*\)".*/\1/p' <<<"$group")
    count=$(sed -n 's/.*"count":\([0-9]*\).*/\1/p' <<<"$group")
    states=$(sed -n 's/.*"states":"\([^"]*\)".*/\1/p' <<<"$group")
    age=$(sed -n 's/.*"oldestAgeMillis":\(-\{0,1\}[0-9]*\).*/\1/p' <<<"$group")
    [ -n "$count" ] || continue
    echo "$count $states ${origin:-(unknown)}$([ "${age:--1}" -ge 0 ] && echo " (oldest $((age / 1000)) s)")"
done
echo "$answer"
