# Sourced by the cli-*.sh recipes: finds the agent jar and java, and reads --url / --local.
#   TCPJMX_AGENT_JAR   the jar (default: agent/target/tcpjmx-agent.jar of this source tree)
#   JAVA_HOME          the JDK to run it with (default: java on PATH)
#   TCPJMX_URL         the agent to go through, as --url does; without it the command line reads
#                      this host's table itself (local mode; dropping others' sockets needs root)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=${TCPJMX_AGENT_JAR:-$here/../../agent/target/tcpjmx-agent.jar}
if [ ! -f "$jar" ]; then
    echo "$(basename "$0"): no agent jar at $jar (build with mvn -B -q package -DskipTests, or set TCPJMX_AGENT_JAR)" >&2
    exit 1
fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
url=${TCPJMX_URL:-}
case ${1:-} in
    --url) url=$2; shift 2 ;;
    --local) url=; shift ;;
esac
# The arguments that make a command go through the agent, or nothing in local mode.
remote=()
if [ -n "$url" ]; then remote=(--url "$url"); fi
tcpjmx() {
    "$java" -jar "$jar" "$@"
}
