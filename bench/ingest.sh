#!/usr/bin/env bash
# Session event ingest benchmark: starts the real control plane (and the rest) with the launcher in a temporary
# PORTCULLIS_HOME on free ports, takes a token as the local proxy node (client credentials, the secret the control
# plane writes to $PORTCULLIS_HOME/proxy-node.secret), then runs bench/IngestBench.java: real hash chains in
# batches of whole sessions, sent from a few threads to POST /api/v1/proxy/events. Prints events/s and batch
# latency. Not a test: no pass/fail.
#
#   bench/ingest.sh                                  # 200000 events, 4 threads, batches of 1000
#   EVENTS=500000 THREADS=2 BATCH=2000 bench/ingest.sh
#   KEEP=1 bench/ingest.sh                           # leave the temporary home (logs, database) behind
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=${EVENTS:-200000}
THREADS=${THREADS:-4}
BATCH=${BATCH:-1000}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
# The launcher's default (-XX:TieredStopAtLevel=1) favours start-up; a throughput run wants the optimizing compiler.
export PORTCULLIS_JAVA_OPTS=${PORTCULLIS_JAVA_OPTS:--Xms512m -Xmx1g -XX:+UseParallelGC}

need() { command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is needed" >&2; exit 1; }; }
need curl
need java
need python3

recording_jar=$(ls "$ROOT"/recording/target/recording-*.jar 2>/dev/null | grep -v sources | head -n 1 || true)
if [ -z "$recording_jar" ] || [ ! -f "$ROOT/control-plane/target/control-plane.jar" ]; then
  echo "Building ..."
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package)
  recording_jar=$(ls "$ROOT"/recording/target/recording-*.jar | grep -v sources | head -n 1)
fi

WORK=$(mktemp -d /tmp/portcullis-ingest.XXXXXX)
export PORTCULLIS_HOME=$WORK/home
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export PORTCULLIS_CONTROL_PLANE_PORT=$(free_port)
export PORTCULLIS_PROXY_NODE_PORT=$(free_port)
export PORTCULLIS_WEB_CONSOLE_PORT=$(free_port)
export PORTCULLIS_EMBEDDED_DB_PORT=$(free_port)
cleanup() {
  "$ROOT/portcullis" down >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

"$ROOT/portcullis" up
CP=http://127.0.0.1:$PORTCULLIS_CONTROL_PLANE_PORT
secret=$(cat "$PORTCULLIS_HOME/proxy-node.secret")
token=$(curl -fsS -u "proxy-node:$secret" -d grant_type=client_credentials "$CP/oauth2/token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# shellcheck disable=SC2086
java $BENCH_JAVA_OPTS -cp "$recording_jar" "$ROOT/bench/IngestBench.java" "$CP" "$token" "$EVENTS" "$THREADS" "$BATCH"

echo "control plane counters:"
curl -fsS "$CP/actuator/prometheus" | grep -E '^portcullis_(events|sessions)_' || true
