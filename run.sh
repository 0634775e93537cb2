#!/usr/bin/env bash
# Runs the whole livequeue stack on this machine: builds if needed, finds or starts a Redis, starts the producer,
# the consumer and the gateway, prints the URLs, and stops everything it started on Ctrl-C.
#   REDIS_URL=redis://host:port ./run.sh   use that Redis
#   LIVEQUEUE_BIND=0.0.0.0 ./run.sh        listen on every interface (default: 127.0.0.1 only)
set -euo pipefail
cd "$(dirname "$0")"

BIND=${LIVEQUEUE_BIND:-127.0.0.1}
RUN_DIR=.run
SERVICES=(websocket-gateway producer-service consumer-service)
PORTS=(8080 8081 8082)
pids=()

say() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] %s\n' "$*" >&2; exit 1; }

cleanup() {
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    say "stopping…"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ----------------------------------------------------------------------------------------------
command -v java >/dev/null || die "Java 17 or newer is needed: apt-get install -y openjdk-17-jdk-headless"
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed, found $java_major"
command -v curl >/dev/null || die "curl is needed: apt-get install -y curl"

# --- build if a jar is missing or older than the sources -----------------------------------------------------------
needs_build=false
for s in "${SERVICES[@]}"; do
  jar=$s/target/quarkus-app/quarkus-run.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$s/src" livequeue-core/src pom.xml "$s/pom.xml" -newer "$jar" -print -quit)" ]; then
    needs_build=true
  fi
done
if $needs_build; then
  say "building (./mvnw package -DskipTests)…"
  ./mvnw -B -q -DskipTests package -pl producer-service,consumer-service,websocket-gateway -am \
    || die "the build failed: see the output above"
fi

# --- Redis --------------------------------------------------------------------------------------------------------
ping_redis() { # host port -> 0 when it answers PONG
  local reply
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ $reply == "+PONG"* ]]
}
mkdir -p "$RUN_DIR/logs"
if [ -n "${REDIS_URL:-}" ]; then
  hostport=${REDIS_URL#*://}; hostport=${hostport##*@}; hostport=${hostport%%/*}
  ping_redis "${hostport%:*}" "${hostport##*:}" || die "REDIS_URL=$REDIS_URL does not answer PING"
  say "using Redis at $REDIS_URL"
elif ping_redis 127.0.0.1 6379; then
  REDIS_URL=redis://127.0.0.1:6379
  say "using the Redis that answers on localhost:6379"
elif command -v redis-server >/dev/null; then
  port=6390
  while { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do exec 3<&- 3>&-; port=$((port + 1)); done
  mkdir -p "$RUN_DIR/redis"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$RUN_DIR/redis" --appendonly yes --appendfsync everysec \
    --save "" --logfile redis.log &
  pids+=($!)
  for _ in $(seq 50); do ping_redis 127.0.0.1 "$port" && break; sleep 0.1; done
  ping_redis 127.0.0.1 "$port" || die "the private redis-server did not start: see $RUN_DIR/redis/redis.log"
  REDIS_URL=redis://127.0.0.1:$port
  say "started a private redis-server on port $port (data in $RUN_DIR/redis)"
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  docker run -d --rm --name livequeue-redis -p 127.0.0.1:6390:6379 redis:7 >/dev/null
  pids+=("$(docker inspect -f '{{.State.Pid}}' livequeue-redis)")
  for _ in $(seq 100); do ping_redis 127.0.0.1 6390 && break; sleep 0.1; done
  REDIS_URL=redis://127.0.0.1:6390
  say "started a Redis container on port 6390"
else
  die "no Redis found: install redis-server (apt-get install -y redis-server), start Docker, or set REDIS_URL"
fi
export REDIS_URL

# --- the three services ---------------------------------------------------------------------------------------------
for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}
  # four processes share a laptop's cores: a small heap (each service keeps ~15 MB live), the serial collector and
  # two malloc arenas keep each JVM under 200 MB RSS however many jobs it runs (measured: README, Benchmark)
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java ${LIVEQUEUE_JAVA_OPTS:--Xmx64m -XX:+UseSerialGC} \
    -Dquarkus.http.host="$BIND" \
    -jar "$s/target/quarkus-app/quarkus-run.jar" \
    >"$RUN_DIR/logs/$s.log" 2>&1 &
  pids+=($!)
done
for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}; port=${PORTS[$i]}
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
    kill -0 "${pids[-3 + i]}" 2>/dev/null || die "$s exited at start: see $RUN_DIR/logs/$s.log"
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || die "$s is not ready after 30 s: see $RUN_DIR/logs/$s.log"
done

# never print a token that was set: only say where it comes from
operator_token=${LIVEQUEUE_OPERATOR_TOKEN:+the one in LIVEQUEUE_OPERATOR_TOKEN}
operator_token=${operator_token:-livequeue-dev-operator-token}
cat <<MSG

  livequeue is running (logs in $RUN_DIR/logs, Redis at $REDIS_URL)

  demo page        http://localhost:8080/
  operators        http://localhost:8080/dashboard   (token: $operator_token)
  WebSocket        ws://localhost:8080/ws   (and ws://localhost:8080/)
  REST API         http://localhost:8081/api/jobs
  health           http://localhost:8081/q/health  http://localhost:8082/q/health  http://localhost:8080/q/health

  try:  curl -i -H 'Content-Type: application/json' -d '{"type":"echo","payload":{"hello":"world"}}' \\
          http://localhost:8081/api/jobs

  Ctrl-C stops everything this script started.
MSG
wait -n "${pids[@]}" || true
say "a process exited; see $RUN_DIR/logs"
