#!/usr/bin/env bash
# tcpdrop's review-then-drop workflow over HTTP: list the connections in one state
# (org.tcpjmx:type=Drop, dropState with listOnly=true: tcpdrop -l -a -s STATE, nothing is dropped),
# then drop exactly the listed ones that are on one local port, one by one (dropSpec). A connection
# that appears between the two steps is not touched.
#
#   list-then-drop.sh [--url URL] STATE               only list       e.g.  list-then-drop.sh CLOSE_WAIT
#   list-then-drop.sh [--url URL] STATE LOCAL_PORT    list, then drop those on LOCAL_PORT
#   list-then-drop.sh [--url URL] STATE all           list, then drop every one listed
#
# STATE: tcpdrop's name (CLOSE_WAIT, TIME_WAIT, ...) or ss's (close-wait, ...). Exit status 1 when
# a listed connection could not be dropped.
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: list-then-drop.sh [--url URL] STATE [LOCAL_PORT|all]" >&2
    exit 64
fi
state=$1
which=${2:-}
case $state in *[!A-Za-z_0-9-]*) echo "list-then-drop: '$state' is not a state name" >&2; exit 64 ;; esac
case $which in ''|all) ;; *[!0-9]*) echo "list-then-drop: '$which' is neither a port nor 'all'" >&2; exit 64 ;; esac

exec_drop() { # OPERATION ARGUMENTS_JSON
    curl -sS -X POST -H 'Content-Type: application/json' "$url" \
        -d "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Drop\",\"operation\":\"$1\",\"arguments\":$2}"
}

listed=$(exec_drop dropState "[\"$state\",true]")
if ! grep -q '"status":200' <<<"$listed"; then
    echo "list-then-drop: the agent answered: $listed" >&2
    exit 1
fi
# "commands":["tcpdrop LADDR LPORT FADDR FPORT",...]
lines=$(grep -o '"tcpdrop [^"]*"' <<<"$listed" | tr -d '"' || true)
echo "listed $(grep -c . <<<"$lines" || true) $state connection(s) (dropState listOnly=true):"
[ -n "$lines" ] && echo "$lines"
if [ -z "$which" ]; then
    echo "nothing dropped; run again with a local port (or 'all') to drop them"
    exit 0
fi

if [ "$which" = all ]; then chosen=$lines; else chosen=$(awk -v p="$which" '$3 == p' <<<"$lines"); fi
echo "dropping $(grep -c . <<<"$chosen" || true) of them${which:+ (local port $which)}:"
failed=0
while read -r _ laddr lport faddr fport; do
    [ -n "${laddr:-}" ] || continue
    answer=$(exec_drop dropSpec "[\"$laddr $lport $faddr $fport\"]")
    grep -o '"message":"[^"]*"' <<<"$answer" | sed 's/^"message":"//; s/"$//'
    grep -q '"dropped":1' <<<"$answer" || failed=1
done <<<"$chosen"
exit $failed
