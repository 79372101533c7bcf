#!/usr/bin/env bash
# Sockets per TCP state with the command line: locally, or through an agent with --url.
#
#   cli-states.sh [--local | --url URL] [FILTER]      e.g.  cli-states.sh --url http://127.0.0.1:8778/jolokia/ 'sport = :8080'
#
# Prints "STATE COUNT" for all eleven states and the total, as "java -jar tcpjmx-agent.jar states" does.
set -euo pipefail
source "$(dirname "$0")/cli-env.sh"
tcpjmx states "${remote[@]}" "$@"
