#!/usr/bin/env bash
# tcpdrop(8) with the command line: list the connections in one state (tcpdrop -l -s STATE), keep
# those on one local port, and pipe the lines into sh, as tcpdrop(8) suggests:
#     tcpdrop -l -s CLOSE_WAIT | grep -w 8080 | sh
# The tcpdrop launcher next to the agent jar is put on PATH for sh. With --url (or $TCPJMX_URL) both
# the listing and each drop go through that agent; without, the command line drops locally.
#
#   cli-tcpdrop.sh [--local | --url URL] STATE                only list
#   cli-tcpdrop.sh [--local | --url URL] STATE LOCAL_PORT     list, then drop those on LOCAL_PORT
set -euo pipefail
source "$(dirname "$0")/cli-env.sh"
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: cli-tcpdrop.sh [--local | --url URL] STATE [LOCAL_PORT]" >&2
    exit 64
fi
state=$1
port=${2:-}
case $port in *[!0-9]*) echo "cli-tcpdrop: '$port' is not a port number" >&2; exit 64 ;; esac

listed=$(tcpjmx tcpdrop "${remote[@]}" -l -s "$state")
echo "$listed"
if [ -z "$port" ]; then
    exit 0
fi
export PATH="$(dirname "$jar"):$PATH"
# "tcpdrop LADDR LPORT FADDR FPORT": keep the local port, and send each drop through the same agent.
awk -v p="$port" '$1 == "tcpdrop" && $3 == p' <<<"$listed" | sed "s|^tcpdrop |tcpdrop ${remote[*]} |" | sh
