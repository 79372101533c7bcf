#!/usr/bin/env bash
# Drops one TCP connection by its 4-tuple (org.tcpjmx:type=Drop, operation drop), as
# "tcpdrop LADDR LPORT FADDR FPORT" does: the peer gets a RST, the owner's next read fails.
#
#   drop-one.sh [--url URL] LADDR LPORT FADDR FPORT     e.g.  drop-one.sh 127.0.0.1 8080 127.0.0.1 51234
#
# The tuple is what the table shows (query.sh prints a "tcpdrop" line per row). Prints the outcome
# ("LADDR LPORT FADDR FPORT: dropped"); exit status 0 when it was dropped, 1 when not.
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
if [ $# -ne 4 ]; then
    echo "usage: drop-one.sh [--url URL] LADDR LPORT FADDR FPORT" >&2
    exit 64
fi
for port in "$2" "$4"; do
    case $port in ''|*[!0-9]*) echo "drop-one: '$port' is not a port number" >&2; exit 64 ;; esac
done

answer=$(curl -sS -X POST -H 'Content-Type: application/json' "$url" \
    -d "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Drop\",\"operation\":\"drop\",\"arguments\":[\"$1\",$2,\"$3\",$4]}")
if ! grep -q '"status":200' <<<"$answer"; then
    echo "drop-one: the agent answered: $answer" >&2
    exit 1
fi
# The report: {"matched":1,"dropped":1,"outcomes":[{"message":"... : dropped",...}],...}
grep -o '"message":"[^"]*"' <<<"$answer" | sed 's/^"message":"//; s/"$//'
grep -q '"dropped":1' <<<"$answer"
