#!/usr/bin/env bash
# The TCP table, filtered with ss's filter language (org.tcpjmx:type=Connections, operation query),
# called with a POST: exec requests are refused by GET.
#
#   query.sh [--url URL] [FILTER [LIMIT]]      e.g.  query.sh 'state close-wait and sport = :8080' 20
#
# FILTER: see src/docs/filters.md (default: every socket); LIMIT: most rows (default 50; 0: all).
# Prints the agent's JSON answer: {"value":[{"localAddress":...,"state":...,"tcpdrop":...},...],"status":200}
set -euo pipefail
url=${TCPJMX_URL:-http://127.0.0.1:8778/jolokia/}
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
filter=${1:-}
limit=${2:-50}
case $limit in ''|*[!0-9]*) echo "query: LIMIT must be a number, not '$limit'" >&2; exit 64 ;; esac

# JSON string escaping for the filter: backslashes first, then quotes.
filter=${filter//\\/\\\\}
filter=${filter//\"/\\\"}
answer=$(curl -sS -X POST -H 'Content-Type: application/json' "$url" \
    -d "{\"type\":\"exec\",\"mbean\":\"org.tcpjmx:type=Connections\",\"operation\":\"query\",\"arguments\":[\"$filter\",$limit]}")
echo "$answer"
grep -q '"status":200' <<<"$answer"
