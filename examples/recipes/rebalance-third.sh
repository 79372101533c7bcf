#!/usr/bin/env bash
# After scaling out, move a third of the clients away over a minute: from each peer (client
# address) of the connections FILTER matches, drop a third of its connections at random, paced so
# that the drops spread over SECONDS (default 60). The clients reconnect through the load balancer,
# spread out in time, instead of all at once. It lists the selection first (rebalance -l) to pick
# the rate, then runs the job and follows it; Ctrl-C cancels the job.
#
#   rebalance-third.sh [--local | --url URL] FILTER [SECONDS]
#   e.g. rebalance-third.sh --url http://127.0.0.1:8778/jolokia/ 'sport = :8080'
set -euo pipefail
source "$(dirname "$0")/cli-env.sh"
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: rebalance-third.sh [--local | --url URL] FILTER [SECONDS]" >&2
    exit 64
fi
filter=$1
seconds=${2:-60}
case $seconds in ''|*[!0-9]*|0) echo "rebalance-third: '$seconds' is not a number of seconds" >&2; exit 64 ;; esac

# The rate is chosen from the size of a selection made a moment before the job makes its own; the
# two draw at random, but the count per peer is the same rule, so the count is the same.
selected=$(tcpjmx rebalance "${remote[@]}" -l 0.33 "$filter" 2>/dev/null | grep -c '^tcpdrop ' || true)
if [ "$selected" -eq 0 ]; then
    echo "rebalance-third: nothing to move: no peer of '$filter' has enough connections for a third of them"
    exit 0
fi
# Drops per second so that the last one comes at about SECONDS (at least 1 a second).
rate=$(( (selected + seconds - 1) / seconds ))
echo "rebalance-third: $selected connections, $rate a second"
tcpjmx rebalance "${remote[@]}" --rate "$rate" 0.33 "$filter"
