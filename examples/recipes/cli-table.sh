#!/usr/bin/env bash
# The TCP table with the command line, as ss -tan prints it: locally, or through an agent with --url.
#
#   cli-table.sh [--local | --url URL] [FILTER]      e.g.  cli-table.sh 'state close-wait'
#
# FILTER: ss's filter language (src/docs/filters.md); --json prints the rows as JSON, with their tcpdrop lines.
set -euo pipefail
source "$(dirname "$0")/cli-env.sh"
tcpjmx table "${remote[@]}" "$@"
