#!/usr/bin/env bash
# HTTP benchmark: one run, six ways to the same nginx-served JSON document, with wrk:
#   1. direct            wrk → nginx
#   2. stock gateway     wrk → a stock Spring Cloud Gateway app with one route (bench/stock-gateway), the yardstick
#   3. gateway only      wrk → proxy node with every Portcullis filter off (plain Spring Cloud Gateway routing)
#   4. unrecorded        wrk → proxy node with authentication + policy + credential injection + masking on,
#                        session recording off
#   5. enforced          the same with session recording on (spooled to disk and delivered to the control plane):
#                        everything a production node does, with the control plane and its PostgreSQL ingesting
#                        the events on the same cores
#   6. ingest-paused     the enforced node again, with the control plane and its database paused (SIGSTOP) for the
#                        run (after they took in everything recorded so far): recording
#                        still hashes, chains and fsyncs every event into the spool, but nothing ingests them on
#                        these cores meanwhile. Measures what recording costs the proxy node itself; in production
#                        the control plane and its database run elsewhere. The spool is drained before the script
#                        ends.
# Prints requests/s, p99 latency and CPU time per request (of the serving process, and of the control plane and its
# PostgreSQL ingesting) of each, and the ratios. Not a test: no pass/fail.
#
# Every proxy is warmed up first (WARMUP each). Then the six runs follow one another, ROUNDS times over, and the
# medians are reported: on a small shared machine one run can be off by a factor of two. The unrecorded and the
# ingest-paused runs are a pair: back to back, with the control plane paused for both, in turns first.
#
#   bench/http.sh                    # defaults: wrk -t1 -c16, 3 rounds of 10 s runs after a 90 s warm-up each
#   CONNECTIONS=64 DURATION=20s ROUNDS=5 bench/http.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-90s}
ROUNDS=${ROUNDS:-3}
PROXY_JAVA_OPTS=${PROXY_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}

need() { command -v "$1" >/dev/null 2>&1; }
if ! need nginx || ! need wrk || ! need curl; then
  echo "Installing nginx-light, wrk and curl (Debian packages) ..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nginx-light wrk curl >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

for jar in control-plane/target/control-plane.jar proxy-node/target/proxy-node.jar; do
  if [ ! -f "$ROOT/$jar" ]; then
    echo "Building the applications ..."
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -Dspotless.check.skip=true package)
    break
  fi
done

if [ ! -f "$ROOT/bench/stock-gateway/target/stock-gateway.jar" ]; then
  echo "Building the stock gateway ..."
  (cd "$ROOT" && ./mvnw -B -q -f bench/stock-gateway/pom.xml package)
fi

WORK=$(mktemp -d /tmp/portcullis-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  [ -n "${PAUSED:-}" ] && kill -CONT $PAUSED 2>/dev/null
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() {
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.5
  done
  echo "error: $1 did not come up; logs in $WORK" >&2
  exit 1
}

NGINX_PORT=$(free_port)
CP_PORT=$(free_port)
DB_PORT=$(free_port)
PLAIN_PORT=$(free_port)
FULL_PORT=$(free_port)
STOCK_PORT=$(free_port)
NOREC_PORT=$(free_port)

# The target: nginx serving a small JSON document with personal data in it, so masking has work to do.
mkdir -p "$WORK/www" "$WORK/nginx"
cat >"$WORK/www/customers.json" <<'EOF'
[{"id":1,"name":"Ada Lovelace","email":"ada.lovelace@example.com","phone":"+1 555-010-1234","card_number":"4242 4242 4242 4242","notes":"prefers email"},
 {"id":2,"name":"Alan Turing","email":"alan.turing@example.com","phone":"+1 555-010-9876","card_number":"5555 5555 5555 4444","notes":"call after 5pm"}]
EOF
chmod -R a+rX "$WORK/www"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -e "$WORK/nginx/error.log"
wait_http "http://127.0.0.1:$NGINX_PORT/customers.json"

# The control plane, on its own embedded database, with an admin service account for the set-up.
export PORTCULLIS_HOME=$WORK/home
mkdir -p "$PORTCULLIS_HOME"
java -Xmx512m -XX:+UseSerialGC -jar "$ROOT/control-plane/target/control-plane.jar" \
  --server.port="$CP_PORT" --portcullis.embedded-db.port="$DB_PORT" --portcullis.demo.enabled=true \
  >"$WORK/control-plane.log" 2>&1 &
PIDS+=($!)
CP_PID=$!
wait_http "http://127.0.0.1:$CP_PORT/actuator/health"
secret() { sed -n "s/^$1\\.client-secret=//p" "$PORTCULLIS_HOME/demo-credentials.properties"; }
token() {
  curl -fs -u "$1:$2" -d grant_type=client_credentials "http://127.0.0.1:$CP_PORT/oauth2/token" |
    sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}
OPS=$(token demo-ops "$(secret demo-ops)")
api() { curl -fs -H "Authorization: Bearer $OPS" -H "Content-Type: $1" "http://127.0.0.1:$CP_PORT$2" --data-binary "$3" >/dev/null; }
api application/json /api/v1/connections "{\"name\":\"bench-api\",\"type\":\"HTTP\",\"target\":\"http://127.0.0.1:$NGINX_PORT\",
  \"credential\":{\"kind\":\"BEARER\",\"token\":\"bench-target-token\"},\"allowedGroups\":[\"ai-agents\"]}"
api application/yaml /api/v1/policies 'name: bench
connections: [bench-api]
default: ALLOW
rules:
  - name: no-admin
    when: {http: {paths: ["/admin/**"]}}
    action: BLOCK
masking:
  - fields: [email, phone, card_number]
  - detectors: [EMAIL, CREDIT_CARD, PHONE]'
AGENT=$(token demo-agent "$(secret demo-agent)")

start_proxy() {
  local port=$1 name=$2
  shift 2
  # shellcheck disable=SC2086
  java $PROXY_JAVA_OPTS -jar "$ROOT/proxy-node/target/proxy-node.jar" --server.port="$port" \
    --portcullis.proxy.home="$WORK/$name" --portcullis.proxy.node-id="$name" \
    --portcullis.proxy.control-plane-url="http://127.0.0.1:$CP_PORT" \
    --portcullis.proxy.client-secret-file="$PORTCULLIS_HOME/proxy-node.secret" \
    --logging.level.root=WARN "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  eval "PID_${name//-/_}=$!"
}
start_proxy "$PLAIN_PORT" gateway-only --portcullis.proxy.filters.authenticate=false \
  --portcullis.proxy.filters.decide=false --portcullis.proxy.filters.credential=false \
  --portcullis.proxy.filters.mask=false
start_proxy "$FULL_PORT" enforced
start_proxy "$NOREC_PORT" unrecorded --portcullis.proxy.recording.enabled=false
# shellcheck disable=SC2086
java $PROXY_JAVA_OPTS -jar "$ROOT/bench/stock-gateway/target/stock-gateway.jar" --server.port="$STOCK_PORT" \
  --target="http://127.0.0.1:$NGINX_PORT" --logging.level.root=WARN >"$WORK/stock-gateway.log" 2>&1 &
PIDS+=($!)
PID_stock_gateway=$!
wait_http "http://127.0.0.1:$STOCK_PORT/c/bench-api/customers.json"
wait_http "http://127.0.0.1:$PLAIN_PORT/actuator/health"
wait_http "http://127.0.0.1:$FULL_PORT/actuator/health"
wait_http "http://127.0.0.1:$NOREC_PORT/actuator/health"
for _ in $(seq 1 60); do
  curl -fs -o /dev/null -H "Authorization: Bearer $AGENT" "http://127.0.0.1:$FULL_PORT/c/bench-api/customers.json" &&
    curl -fs -o /dev/null -H "Authorization: Bearer $AGENT" "http://127.0.0.1:$NOREC_PORT/c/bench-api/customers.json" &&
    curl -fs -o /dev/null "http://127.0.0.1:$PLAIN_PORT/c/bench-api/customers.json" && break
  sleep 0.5
done
for url in "http://127.0.0.1:$PLAIN_PORT/c/bench-api/customers.json"; do
  status=$(curl -s -o "$WORK/check.out" -w '%{http_code}' "$url")
  [ "$status" = 200 ] || { echo "error: gateway-only answered $status: $(cat "$WORK/check.out")" >&2; exit 1; }
done
echo "Masked answer through the enforced proxy:"
curl -fs -H "Authorization: Bearer $AGENT" "http://127.0.0.1:$FULL_PORT/c/bench-api/customers.json" | head -c 300
echo

# wrk's latency ("812.00us", "8.45ms", "1.02s") in milliseconds.
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
LABELS="direct stock-gateway gateway-only unrecorded enforced ingest-paused"
# CPU time (user + system, in clock ticks) a process and its threads have used, plus what its reaped children used.
TICK_US=$((1000000 / $(getconf CLK_TCK)))
ticks() { local pid; for pid in "$@"; do awk '{print $14 + $15 + $16 + $17}' "/proc/$pid/stat" 2>/dev/null; done | awk '{t += $1} END {print t + 0}'; }
# Of that, what a JVM's JIT compiler threads used (its C1 and C2 threads; none for nginx). On these cores the JIT still
# recompiles for minutes after the warm-up (tens of us per request in some runs here, more in a node's first run):
# noise of its own in the serving process's CPU, not the cost of serving.
jit_ticks() {
  local pid stat
  for pid in "$@"; do
    for stat in /proc/"$pid"/task/*/stat; do
      # Field 2, the thread's name, is in brackets and may hold spaces: the fields after it are counted from the ")".
      # A thread that ended meanwhile is skipped.
      sed -n 's/^[0-9]* (C[12] CompilerThre[^)]*) //p' "$stat" 2>/dev/null || true
    done
  done | awk '{t += $12 + $13} END {print t + 0}'
}
run() {
  local label=$1 url=$2 server=$3
  shift 3
  local before ingest_before jit_before
  before=$(ticks $server)
  jit_before=$(jit_ticks $server)
  ingest_before=$(ticks $(ingest_pids))
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$label.wrk"
  local after ingest_after jit_after
  after=$(ticks $server)
  jit_after=$(jit_ticks $server)
  ingest_after=$(ticks $(ingest_pids))
  local rps p99 errors requests cpu ingest jit
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$label.wrk")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/$label.wrk")")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/$label.wrk" | tr '\n' ' ')
  requests=$(awk '/requests in/ {print $1}' "$WORK/$label.wrk")
  if [ "${requests:-0}" -eq 0 ]; then
    # A node that answered nothing for the whole run: said, not divided by.
    errors="no request completed in $DURATION $errors"
    requests=1
  fi
  cpu=$(((after - before) * TICK_US / requests))
  ingest=$(((ingest_after - ingest_before) * TICK_US / requests))
  jit=$(((jit_after - jit_before) * TICK_US / requests))
  printf '  %-16s %10s req/s   p99 %8s ms   CPU/request %4d us serving (%3d us of it JIT), %4d us ingest   %s\n' \
    "$label" "$rps" "$p99" "$cpu" "$jit" "$ingest" "$errors"
  [ -n "$errors" ] && echo "  $label, round $round: $errors" >>"$WORK/errors"
  echo "$rps" >>"$WORK/$label.rps"
  echo "$p99" >>"$WORK/$label.p99"
  echo "$cpu" >>"$WORK/$label.cpu"
  echo "$ingest" >>"$WORK/$label.ingest"
  echo "$jit" >>"$WORK/$label.jit"
}
warm() {
  local duration=$1 url=$2
  shift 2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$@" "$url" >/dev/null
}
spool_bytes() {
  curl -fs "http://127.0.0.1:$FULL_PORT/actuator/prometheus" | awk '/^portcullis_spool_bytes/ {print int($NF)}'
}
# Waits until the control plane has taken in every spooled event, then writes the dirty pages that ingest left (the
# database's, hundreds of MB after a paused run) to disk now, rather than let the kernel write them back on these cores
# while the next runs are measured.
drain() {
  for _ in $(seq 1 300); do [ "$(spool_bytes)" = 0 ] && break; sleep 1; done
  sync
}
# The control plane and its embedded PostgreSQL (the postmaster, found by its data directory, and its children):
# after a burst of ingest the database still checkpoints and vacuums, which would otherwise run on these cores during
# the paused run.
ingest_pids() {
  local postmaster
  postmaster=$(pgrep -f -- "-D $PORTCULLIS_HOME/pgdata" | head -n 1 || true)
  echo "$CP_PID" ${postmaster:+$postmaster $(pgrep -P "$postmaster" | tr '\n' ' ')}
}
pause_ingest() { PAUSED=$(ingest_pids); kill -STOP $PAUSED; }
resume_ingest() { [ -n "${PAUSED:-}" ] && kill -CONT $PAUSED 2>/dev/null; PAUSED=; }
median() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

NGINX_WORKERS=$(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')
DIRECT="http://127.0.0.1:$NGINX_PORT/customers.json"
STOCK="http://127.0.0.1:$STOCK_PORT/c/bench-api/customers.json"
PLAIN="http://127.0.0.1:$PLAIN_PORT/c/bench-api/customers.json"
NOREC="http://127.0.0.1:$NOREC_PORT/c/bench-api/customers.json"
FULL="http://127.0.0.1:$FULL_PORT/c/bench-api/customers.json"
AUTH="Authorization: Bearer $AGENT"

echo
echo "Warm-up: $WARMUP of wrk per proxy (the JIT needs it on $(nproc) cores) ..."
warm 5s "$DIRECT"
warm "$WARMUP" "$STOCK"
warm "$WARMUP" "$PLAIN"
warm "$WARMUP" "$NOREC" -H "$AUTH"
warm "$WARMUP" "$FULL" -H "$AUTH"
drain

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds, each runs all six one after another:"
for round in $(seq 1 "$ROUNDS"); do
  echo " round $round"
  # A fresh token each round: the agent's token outlives a few rounds, not a long run of them.
  AUTH="Authorization: Bearer $(token demo-agent "$(secret demo-agent)")"
  run direct "$DIRECT" "$NGINX_WORKERS"
  run stock-gateway "$STOCK" "$PID_stock_gateway"
  run gateway-only "$PLAIN" "$PID_gateway_only"
  run enforced "$FULL" "$PID_enforced" -H "$AUTH"
  # Let the control plane take in what was recorded, then pause it for the proxy-only figures: the node with recording
  # off and the one with it on run back to back on the same quiet machine, in turns first, so neither always follows
  # the other.
  drain
  pause_ingest
  warm 2s "$FULL" -H "$AUTH"
  # Each run of the pair starts with nothing dirty waiting to be written back (the recording run leaves its spool's).
  if [ $((round % 2)) -eq 1 ]; then
    sync; run unrecorded "$NOREC" "$PID_unrecorded" -H "$AUTH"
    sync; run ingest-paused "$FULL" "$PID_enforced" -H "$AUTH"
  else
    sync; run ingest-paused "$FULL" "$PID_enforced" -H "$AUTH"
    sync; run unrecorded "$NOREC" "$PID_unrecorded" -H "$AUTH"
  fi
  resume_ingest
  drain
done

if [ -s "$WORK/errors" ]; then
  echo
  echo "WARNING: these runs had errors, and their figures count in the medians below; do not trust them:"
  cat "$WORK/errors"
fi
echo
echo "Medians over $ROUNDS rounds:"
for label in $LABELS; do
  # Serving CPU less the JIT's, per run, then the median.
  paste "$WORK/$label.cpu" "$WORK/$label.jit" | awk '{print $1 - $2}' >"$WORK/$label.work"
  printf '  %-16s %10.0f req/s   p99 %8.2f ms   CPU/request %4.0f us serving (%3.0f us without JIT), %4.0f us ingest   (req/s per round: %s)\n' \
    "$label" "$(median "$WORK/$label.rps")" "$(median "$WORK/$label.p99")" "$(median "$WORK/$label.cpu")" \
    "$(median "$WORK/$label.work")" "$(median "$WORK/$label.ingest")" "$(paste -sd' ' "$WORK/$label.rps")"
  eval "RPS_${label//-/_}=$(median "$WORK/$label.rps")"
  eval "CPU_${label//-/_}=$(median "$WORK/$label.cpu")"
  eval "WORK_${label//-/_}=$(median "$WORK/$label.work")"
done
# Ratios within a round (measured minutes apart at most) are steadier than ratios of medians on a noisy machine.
round_ratio() { paste "$WORK/$1.rps" "$WORK/$2.rps" | awk '{print $1 / $2}' >"$WORK/ratio"; median "$WORK/ratio"; }
echo
awk -v d="$RPS_direct" -v s="$RPS_stock_gateway" -v g="$RPS_gateway_only" -v e="$RPS_enforced" \
  -v u="$RPS_unrecorded" -v p="$RPS_ingest_paused" -v us="$(round_ratio unrecorded stock-gateway)" \
  -v es="$(round_ratio enforced stock-gateway)" -v eu="$(round_ratio enforced unrecorded)" \
  -v pu="$(round_ratio ingest-paused unrecorded)" 'BEGIN {
  printf "Ratios of the medians, and in brackets the median of the per-round ratios:\n"
  printf "  stock-gateway / direct     %.3f\n", s / d
  printf "  gateway-only / direct      %.3f\n", g / d
  printf "  enforced / direct          %.3f\n", e / d
  printf "  unrecorded / stock-gateway %.3f [%.3f]  auth + policy + credential + masking; goal: at least 1\n", u / s, us
  printf "  enforced / stock-gateway   %.3f [%.3f]  everything on\n", e / s, es
  printf "  enforced / gateway-only    %.3f\n", e / g
  printf "  enforced / unrecorded      %.3f [%.3f]  recording, with ingest on the same cores, costs %.1f%% [%.1f%%]\n", e / u, eu, 100 * (1 - e / u), 100 * (1 - eu)
  printf "  ingest-paused / unrecorded %.3f [%.3f]  recording costs the proxy node itself %.1f%% [%.1f%%]; goal: at most 10%%\n", p / u, pu, 100 * (1 - p / u), 100 * (1 - pu)
}'
# CPU per request is what a node needs per core, whatever share of the machine wrk, nginx and the other processes took
# meanwhile (not immune to them: a contended machine makes every request dearer, and a slower run batches less).
echo
awk -v s="$CPU_stock_gateway" -v g="$CPU_gateway_only" -v u="$CPU_unrecorded" -v p="$CPU_ingest_paused" \
  -v ws="$WORK_stock_gateway" -v wu="$WORK_unrecorded" -v wp="$WORK_ingest_paused" 'BEGIN {
  printf "CPU per request of the serving process (medians), as capacity per core:\n"
  printf "  stock-gateway / gateway-only  %.3f\n", (g > 0 ? s / g : 0)
  printf "  stock-gateway / unrecorded    %.3f  auth + policy + credential + masking; goal: at least 1\n", (u > 0 ? s / u : 0)
  printf "  unrecorded / ingest-paused    %.3f  recording costs the proxy node itself %.1f%% of its capacity; goal: at most 10%%\n", (p > 0 ? u / p : 0), (p > 0 ? 100 * (1 - u / p) : 0)
  printf "Without the JIT compiler threads:\n"
  printf "  stock-gateway / unrecorded    %.3f\n", (wu > 0 ? ws / wu : 0)
  printf "  unrecorded / ingest-paused    %.3f  recording costs the proxy node itself %.1f%%\n", (wp > 0 ? wu / wp : 0), (wp > 0 ? 100 * (1 - wu / wp) : 0)
}'
