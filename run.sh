#!/usr/bin/env bash
# Runs the whole livequeue stack on this machine: installs what it lacks (scripts/prerequisites.sh), builds if needed,
# finds or starts a Redis, starts the producer, the consumer and the gateway, prints the URLs, and stops everything it
# started on Ctrl-C.
#   ./run.sh dev                           the three in Quarkus dev mode (live reload), same Redis and logs
#   REDIS_URL=redis://host:port ./run.sh   use that Redis (redis://user:password@host:port with a password,
#                                          rediss://… and LIVEQUEUE_REDIS_CA=ca.pem with TLS; the password is never
#                                          printed)
#   LIVEQUEUE_BIND=0.0.0.0 ./run.sh        listen on every interface (default: 127.0.0.1 only)
#   LIVEQUEUE_SKIP_PREREQS=1 ./run.sh      install nothing (you manage the packages yourself)
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/redis-url.sh
source scripts/redis-url.sh

case "${1:-}" in
  '') DEV=false ;;
  dev) DEV=true ;;
  *) printf 'usage: %s [dev]\n' "$0" >&2; exit 2 ;;
esac

BIND=${LIVEQUEUE_BIND:-127.0.0.1}
RUN_DIR=.run
SERVICES=(websocket-gateway producer-service consumer-service)
PORTS=(8080 8081 8082)
DEBUG_PORTS=(5005 5006 5007) # dev mode only: attach a debugger here
pids=()
dev_groups=() # dev mode: each Maven runs in a process group of its own (Maven and the application it forks)

say() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] %s\n' "$*" >&2; exit 1; }

cleanup() {
  trap - EXIT INT TERM
  # stop everything even if the terminal or a pipe (./run.sh | tee) is already gone
  set +e
  trap '' PIPE HUP
  if ((${#pids[@]})); then
    say "stopping…" 2>/dev/null
    for g in "${dev_groups[@]}"; do kill -- "-$g" 2>/dev/null || true; done
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    # dev mode: the applications Maven forked stop by themselves on the same signal; wait for them (at most 20 s)
    for g in "${dev_groups[@]}"; do
      for _ in $(seq 200); do kill -0 -- "-$g" 2>/dev/null || break; sleep 0.1; done
    done
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ping_redis() { # host port -> 0 when it answers PONG
  local reply
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 2 reply <&3 || true
  exec 3<&- 3>&-
  [[ $reply == "+PONG"* ]]
}

# --- prerequisites: a JDK 17+, curl, and redis-server unless a Redis is already there -------------------------------
# Installs what is missing with apt-get as root or with passwordless sudo, else prints the one command and stops.
if [ -n "${REDIS_URL:-}" ] || ping_redis 127.0.0.1 6379; then
  bash scripts/prerequisites.sh run-no-redis || exit 1
else
  bash scripts/prerequisites.sh run || exit 1
fi
command -v java >/dev/null || die "Java 17 or newer is needed: apt-get install -y openjdk-17-jdk-headless"
java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed, found $java_major"
command -v curl >/dev/null || die "curl is needed: apt-get install -y curl"

# --- build if a jar is missing or older than the sources (dev mode compiles as it goes) ---------------------------
needs_build=false
for s in "${SERVICES[@]}"; do
  jar=$s/target/quarkus-app/quarkus-run.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$s/src" livequeue-core/src pom.xml "$s/pom.xml" -newer "$jar" -print -quit)" ]; then
    needs_build=true
  fi
done
if $DEV; then
  # compile the shared modules once here, so that the three dev-mode Mavens below do not compile them at once
  say "compiling (./mvnw test-compile -DskipTests)…"
  ./mvnw -B -q -DskipTests test-compile -pl producer-service,consumer-service,websocket-gateway -am \
    || die "the build failed: see the output above"
elif $needs_build; then
  say "building (./mvnw package -DskipTests)…"
  ./mvnw -B -q -DskipTests package -pl producer-service,consumer-service,websocket-gateway -am \
    || die "the build failed: see the output above"
fi

# --- Redis --------------------------------------------------------------------------------------------------------
mkdir -p "$RUN_DIR/logs"
if [ -n "${REDIS_URL:-}" ]; then
  redis_url_ping "$REDIS_URL" \
    || die "REDIS_URL=$(redis_url_masked "$REDIS_URL") does not answer PING (with the credentials it holds)"
  say "using Redis at $(redis_url_masked "$REDIS_URL")"
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
  if $DEV; then
    # Quarkus dev mode: Maven forks the application and recompiles changed sources (the service's and the shared
    # modules') at the next request. setsid: Ctrl-C reaches Maven only through cleanup, which stops its whole group.
    setsid ./mvnw -B quarkus:dev -pl "$s" -am -Ddebug="${DEBUG_PORTS[$i]}" -Dquarkus.console.enabled=false \
      -Dquarkus.http.host="$BIND" </dev/null >"$RUN_DIR/logs/$s.log" 2>&1 &
    dev_groups+=($!)
  else
    # four processes share a laptop's cores: a small heap (each service keeps ~15 MB live), the serial collector and
    # two malloc arenas keep each JVM under 200 MB RSS however many jobs it runs (measured: README, Benchmark)
    # shellcheck disable=SC2086
    MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} java ${LIVEQUEUE_JAVA_OPTS:--Xmx64m -XX:+UseSerialGC} \
      -Dquarkus.http.host="$BIND" \
      -jar "$s/target/quarkus-app/quarkus-run.jar" \
      >"$RUN_DIR/logs/$s.log" 2>&1 &
  fi
  pids+=($!)
done
# a jar starts in seconds; dev mode first starts Maven and compiles
if $DEV; then start_limit=240; else start_limit=30; fi
for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}; port=${PORTS[$i]}
  for _ in $(seq $((start_limit * 10))); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null && break
    kill -0 "${pids[-3 + i]}" 2>/dev/null || die "$s exited at start: see $RUN_DIR/logs/$s.log"
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null \
    || die "$s is not ready after $start_limit s: see $RUN_DIR/logs/$s.log"
done

# never print a token that was set: only say where it comes from
operator_token=${LIVEQUEUE_OPERATOR_TOKEN:+the one in LIVEQUEUE_OPERATOR_TOKEN}
operator_token=${operator_token:-livequeue-dev-operator-token}
cat <<MSG

  livequeue is running (logs in $RUN_DIR/logs, Redis at $(redis_url_masked "$REDIS_URL"))

  demo page        http://localhost:8080/
  operators        http://localhost:8080/dashboard   (token: $operator_token)
  WebSocket        ws://localhost:8080/ws   (and ws://localhost:8080/)
  REST API         http://localhost:8081/api/jobs
  health           http://localhost:8081/q/health  http://localhost:8082/q/health  http://localhost:8080/q/health

  try:  curl -i -H 'Content-Type: application/json' -d '{"type":"echo","payload":{"hello":"world"}}' \\
          http://localhost:8081/api/jobs

  Ctrl-C stops everything this script started.
MSG
if $DEV; then
  cat <<MSG
  dev mode: edit any source and the service that uses it reloads at its next request (the consumer, which gets no
  requests, is asked for its health every 2 s here). Dev UI at http://localhost:8080/q/dev-ui (8081, 8082 likewise);
  debuggers attach on ports ${DEBUG_PORTS[0]} (gateway), ${DEBUG_PORTS[1]} (producer), ${DEBUG_PORTS[2]} (consumer).

MSG
  while kill -0 "${pids[@]}" 2>/dev/null; do
    curl -s -o /dev/null "http://127.0.0.1:${PORTS[2]}/q/health" || true
    sleep 2
  done
else
  wait -n "${pids[@]}" || true
fi
say "a process exited; see $RUN_DIR/logs"
