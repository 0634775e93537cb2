#!/usr/bin/env bash
# Runs the whole livequeue stack on this machine: installs what it lacks (scripts/prerequisites.sh), builds if needed,
# finds or starts a Redis, starts the producer, the consumer and the gateway, prints the URLs, starts a service again
# when it exits (a crash, an OutOfMemoryError), and stops everything it started on Ctrl-C.
#   ./run.sh dev                           the three in Quarkus dev mode (live reload), same Redis and logs
#   REDIS_URL=redis://host:port ./run.sh   use that Redis (redis://user:password@host:port with a password,
#                                          rediss://… and LIVEQUEUE_REDIS_CA=ca.pem with TLS; the password is never
#                                          printed)
#   LIVEQUEUE_BIND=0.0.0.0 LIVEQUEUE_AUTH=api-keys ./run.sh
#                                          listen on every interface (default: 127.0.0.1 only); callers then need
#                                          credentials (README, Security)
#   LIVEQUEUE_SKIP_PREREQS=1 ./run.sh      install nothing (you manage the packages yourself)
#   LIVEQUEUE_JAVA_OPTS='-Xmx256m' ./run.sh  these JVM options for all three instead of their heap and collector below
#   LIVEQUEUE_PORTS='9080 9081 9082' ./run.sh  the gateway's, producer's and consumer's ports (default 8080 8081 8082)
#   LIVEQUEUE_RUN_DIR=/tmp/lq ./run.sh     logs (and a private Redis's data) there instead of .run
#   LIVEQUEUE_SKIP_BUILD=1 ./run.sh        run the jars as they are, even if sources are newer
#   LIVEQUEUE_JAVA=/path/to/bin/java ./run.sh  that JVM (default: a JDK 25+ under /usr/lib/jvm if there is one, for
#                                          its AOT cache, else the java on PATH; 17 or newer; LIVEQUEUE_JVM_DIR
#                                          searches another directory than /usr/lib/jvm)
#   LIVEQUEUE_AOT=off ./run.sh             no class-data archive (default: on). With it, each service starts from an
#                                          archive of its classes trained on this machine: on JDK 25+ an AOT cache
#                                          (-XX:AOTCache: classes loaded and linked, and JIT profiles), on 17-24 an
#                                          AppCDS archive (-XX:SharedArchiveFile). The first start after a build (or
#                                          with another JVM or other JVM options) trains it: the stack starts once
#                                          recording, runs LIVEQUEUE_AOT_TRAIN_JOBS (default 3000) echo jobs through a
#                                          WebSocket inbox, stops (the JVMs write the archives) and starts again from
#                                          them; later starts reuse them (in $RUN_DIR/aot, keyed by the JVM, its
#                                          options and the jars' contents). A JVM that cannot use an archive (stale,
#                                          damaged) starts without it.
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
RUN_DIR=${LIVEQUEUE_RUN_DIR:-.run}
SERVICES=(websocket-gateway producer-service consumer-service)
read -r -a PORTS <<<"${LIVEQUEUE_PORTS:-8080 8081 8082}"
[ "${#PORTS[@]}" -eq 3 ] || { printf '[run.sh] LIVEQUEUE_PORTS: three ports, gateway producer consumer\n' >&2; exit 2; }
DEBUG_PORTS=(5005 5006 5007) # dev mode only: attach a debugger here
pids=()
sleeper='' # the back-off before a restart
dev_groups=() # dev mode: each Maven runs in a process group of its own (Maven and the application it forks)

say() { printf '[run.sh] %s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[run.sh] %s\n' "$*" >&2; exit 1; }

cleanup() {
  trap - EXIT INT TERM
  # stop everything even if the terminal or a pipe (./run.sh | tee) is already gone
  set +e
  trap '' PIPE HUP
  if ((${#pids[@]})); then
    say "stopping…" 2>/dev/null
    [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
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
# the JVM: LIVEQUEUE_JAVA, else the newest JDK 25+ under /usr/lib/jvm (LIVEQUEUE_JVM_DIR) (its AOT cache starts and warms the services
# fastest: README, Benchmark), else the java on PATH
JAVA=${LIVEQUEUE_JAVA:-}
if [ -z "$JAVA" ]; then
  best=0
  for release in "${LIVEQUEUE_JVM_DIR:-/usr/lib/jvm}"/*/release; do
    [ -f "$release" ] || continue
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null || true)
    [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best" ] && [ -x "${release%/release}/bin/java" ] \
      && best=$v && JAVA=${release%/release}/bin/java
  done
  [ -n "$JAVA" ] || JAVA=$(command -v java || true)
fi
[ -n "$JAVA" ] && [ -x "$(command -v "$JAVA")" ] \
  || die "Java 17 or newer is needed: apt-get install -y openjdk-17-jdk-headless"
java_version=$("$JAVA" -XshowSettings:properties -version 2>&1)
java_major=$(awk -F'= ' '/java.specification.version/ {print $2}' <<<"$java_version")
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed, found $java_major ($JAVA)"
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
elif $needs_build && [ "${LIVEQUEUE_SKIP_BUILD:-}" != 1 ]; then
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

# --- secrets and authentication ---------------------------------------------------------------------------------------
# The job-token secret and the operator token are made once and kept in .run/secrets.env (only you can read it), so
# tokens survive a restart; values already in the environment win. On loopback callers need no credentials
# (LIVEQUEUE_AUTH=none); bound to any other address the stack refuses to start unless LIVEQUEUE_AUTH is set.
SECRETS=$RUN_DIR/secrets.env
if [ ! -s "$SECRETS" ]; then
  random_secret() { head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_'; }
  (umask 077 && printf 'LIVEQUEUE_TOKEN_SECRET=%s\nLIVEQUEUE_OPERATOR_TOKEN=%s\n' "$(random_secret)" \
    "$(random_secret)" >"$SECRETS")
  say "made new secrets in $SECRETS"
fi
while IFS='=' read -r name value; do
  [ -n "$name" ] && [ -z "${!name:-}" ] && export "$name=$value"
done <"$SECRETS"
if [ -z "${LIVEQUEUE_AUTH:-}" ]; then
  case $BIND in
    127.0.0.1 | localhost | ::1) export LIVEQUEUE_AUTH=none ;;
    *) die "LIVEQUEUE_BIND=$BIND lets other machines in: set LIVEQUEUE_AUTH=api-keys (or jwt; README, Security)" ;;
  esac
elif [ "$LIVEQUEUE_AUTH" = none ] && [ "$BIND" != 127.0.0.1 ]; then
  say "LIVEQUEUE_AUTH=none on $BIND: anyone who reaches it may submit jobs (a trusted network only)"
fi

# --- the three services ---------------------------------------------------------------------------------------------
# JVM options of a jar. Four processes share a laptop's cores: a small heap (each service keeps ~15 MB live), the
# serial collector and two malloc arenas (MALLOC_ARENA_MAX below) keep the producer and the consumer under 200 MB RSS
# however many jobs they run (measured: README, Benchmark). The gateway's heap also holds its sockets, ~7 KB each
# when idle: 10,000 (its max-connections) take ~70 MB, which -Xmx64m cannot hold (OutOfMemoryError at ~5,400), so it
# gets 192 MB: ~80 MB live with 10,000 idle sockets, 41% of it (62% of the serial collector's old generation), RSS
# ~260 MB (measured: end-to-end-tests GatewayMemoryIT). Its young generation is held at 32 MB (the serial collector's
# default is a third of the heap, which the sockets' garbage fills and the RSS keeps): 8.6-9.0 KB of RSS per idle socket
# instead of 10.9-11.1 (./bench.sh --mode sockets, 9,990 sockets, README Benchmark). More sockets on one gateway (50,000: -Xmx640m -Xmn32m and
# ulimit -n above the count): README, Security, "Sizing the gateway's sockets"; ./bench.sh --mode sockets measures it.
# A JVM that runs out of memory exits (-XX:+ExitOnOutOfMemoryError, whatever LIVEQUEUE_JAVA_OPTS says) instead of
# living on without answering, and is started again below.
java_opts() { # service -> its JVM options
  local heap=-Xmx64m
  [ "$1" = websocket-gateway ] && heap='-Xmx192m -Xmn32m'
  printf '%s' "-XX:+ExitOnOutOfMemoryError ${LIVEQUEUE_JAVA_OPTS:-$heap -XX:+UseSerialGC}"
}

# Class-data archives (LIVEQUEUE_AOT, above): one file per service, named by a hash of the JVM, its options and the
# jars, so a rebuild, another JVM or other options train a new one; a JVM that cannot map it (-Xshare:auto, the
# default) starts without it (JDK 25 says so in the service's log).
AOT=${LIVEQUEUE_AOT:-on}
$DEV && AOT=off
aot_files=() # by index in SERVICES: the archive, when AOT is on
if [ "$AOT" != off ]; then
  mkdir -p "$RUN_DIR/aot"
  if [ "${java_major%%.*}" -ge 25 ]; then aot_ext=aot; else aot_ext=jsa; fi
  for i in "${!SERVICES[@]}"; do
    s=${SERVICES[$i]}
    key=$({ printf '%s\n%s\n%s\n' "$(command -v "$JAVA")" "$java_version" "$(java_opts "$s")"
      (cd "$s/target/quarkus-app" && find . -type f ! -name '*.aot' ! -name '*.jsa' -print0 | sort -z \
        | xargs -0 sha256sum); } | sha256sum | cut -c1-16)
    aot_files[$i]=$PWD/$RUN_DIR/aot/$s-$key.$aot_ext
    [[ $RUN_DIR == /* ]] && aot_files[$i]=$RUN_DIR/aot/$s-$key.$aot_ext
  done
fi
aot_opts() { # index [record] -> the JVM options that use (or, recording, write) that service's archive
  local f=${aot_files[$1]:-}
  [ -n "$f" ] || return 0
  if [ "${2:-}" = record ]; then
    if [ "$aot_ext" = aot ]; then printf '%s' "-XX:AOTCacheOutput=$f"; else printf '%s' "-XX:ArchiveClassesAtExit=$f"; fi
  elif [ -s "$f" ]; then
    if [ "$aot_ext" = aot ]; then printf '%s' "-XX:AOTCache=$f"; else printf '%s' "-XX:SharedArchiveFile=$f"; fi
  fi
}

listen_ports=("${PORTS[@]}") # where start_jar's services listen (training: on free ports of its own)
svc_pids=() # the service jars' pids, by index in SERVICES (pids has them too, for cleanup)
start_jar() { # index [>>|''] [record] -> starts that service's jar in the background, its output to (or appended to)
  # its log; record: writing its class-data archive when it exits
  local s=${SERVICES[$1]} port=${listen_ports[$1]} log=$RUN_DIR/logs/${SERVICES[$1]}.log extra=() host=$BIND
  # the demo page posts to its own host name on port 8081 unless told otherwise
  if [ "$s" = websocket-gateway ] && [ "${PORTS[1]}" != 8081 ] && [ -z "${LIVEQUEUE_GATEWAY_PRODUCER_URL:-}" ]; then
    extra+=(-Dlivequeue.gateway.producer-url="http://localhost:${PORTS[1]}")
  fi
  # training: on loopback and other ports (nobody mistakes it for the stack), finished jobs kept 10 s, not a day
  [ "${3:-}" = record ] && host=127.0.0.1 log=$RUN_DIR/logs/$s-training.log && extra+=(-Dlivequeue.consumer.retention=10s)
  if [ "${2:-}" = '>>' ]; then exec 4>>"$log"; else exec 4>"$log"; fi
  # shellcheck disable=SC2046
  MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} "$JAVA" $(java_opts "$s") $(aot_opts "$1" "${3:-}") -Dquarkus.http.host="$host" \
    -Dquarkus.http.port="$port" "${extra[@]}" -jar "$s/target/quarkus-app/quarkus-run.jar" >&4 2>&1 4>&- &
  svc_pids[$1]=$!
  exec 4>&-
}

wait_ready() { # index seconds -> 0 when that service answers ready in time; dies if it exits
  local i=$1 port=${listen_ports[$1]} _
  for _ in $(seq $(($2 * 10))); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null && return 0
    kill -0 "${svc_pids[$i]}" 2>/dev/null || die "${SERVICES[$i]} exited at start: see $RUN_DIR/logs/${SERVICES[$i]}.log"
    sleep 0.1
  done
  return 1
}

# Training: the stack once with the archives being recorded, a few thousand echo jobs through it (one POST each and
# in batches, with a WebSocket inbox as replyTo so the gateway's path is trained too), then a clean stop: each JVM
# writes its archive as it exits (a JDK 25 AOT cache takes a few seconds more to assemble).
aot_train_load() {
  local gw=${listen_ports[0]} pr=${listen_ports[1]} n=${LIVEQUEUE_AOT_TRAIN_JOBS:-3000} inbox='' line urls=() batch
  if { exec 5<>"/dev/tcp/127.0.0.1/$gw"; } 2>/dev/null; then
    printf 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n' \
      "$gw" dGhlIHNhbXBsZSBub25jZQ== >&5
    while IFS= read -r -t 5 line <&5 && [ "${line%$'\r'}" != '' ]; do :; done
    IFS= read -r -t 5 -d '}' line <&5 || true
    [[ $line =~ \"inbox\":\"([^\"]+)\" ]] && inbox=${BASH_REMATCH[1]}
  fi
  local body='{"type":"echo","payload":{"training":"0123456789012345678901234567890123456789012345678901234567890123"}'
  [ -n "$inbox" ] && body+=",\"replyTo\":\"$inbox\""
  body+='}'
  say "training: $n echo jobs${inbox:+, their events to a WebSocket inbox}"
  for _ in $(seq $((n / 2))); do urls+=("http://127.0.0.1:$pr/api/jobs"); done
  curl -s --parallel --parallel-max 32 -H 'Content-Type: application/json' -d "$body" "${urls[@]}" >/dev/null 2>&1 || true
  batch='{"jobs":['"$body"; for _ in $(seq 99); do batch+=",$body"; done; batch+=']}'
  urls=(); for _ in $(seq $((n / 200))); do urls+=("http://127.0.0.1:$pr/api/jobs/batch"); done
  curl -s --parallel --parallel-max 4 -H 'Content-Type: application/json' -d "$batch" "${urls[@]}" >/dev/null 2>&1 || true
  curl -s "http://127.0.0.1:$pr/api/queues" "http://127.0.0.1:$gw/" >/dev/null || true
  sleep 3 # the consumer finishes what is queued
  exec 5<&- 5>&- 2>/dev/null || true
}
if ! $DEV && [ "$AOT" != off ]; then
  train=false
  for i in "${!SERVICES[@]}"; do [ -s "${aot_files[$i]}" ] || train=true; done
  if $train; then
    say "training class-data archives on $JAVA (Java $java_major), once per build: ~30 s (LIVEQUEUE_AOT=off skips)…"
    port=$((PORTS[0] + 1000))
    for i in "${!SERVICES[@]}"; do
      while { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; do exec 3<&- 3>&-; port=$((port + 1)); done
      listen_ports[$i]=$port; port=$((port + 1))
    done
    for i in "${!SERVICES[@]}"; do rm -f "$RUN_DIR/aot/${SERVICES[$i]}-"*".$aot_ext"; start_jar "$i" '' record; pids+=("${svc_pids[$i]}"); done
    for i in "${!SERVICES[@]}"; do wait_ready "$i" 60 || die "${SERVICES[$i]} is not ready after 60 s (training)"; done
    aot_train_load
    kill "${svc_pids[@]}" 2>/dev/null || true
    wait "${svc_pids[@]}" 2>/dev/null || true
    pids=("${pids[@]:0:${#pids[@]}-3}")
    listen_ports=("${PORTS[@]}")
    for i in "${!SERVICES[@]}"; do
      [ -s "${aot_files[$i]}" ] || say "${SERVICES[$i]}: no archive was written (see its log); it starts without one"
    done
    say "archives trained in $RUN_DIR/aot"
  fi
fi

for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}
  if $DEV; then
    # Quarkus dev mode: Maven forks the application and recompiles changed sources (the service's and the shared
    # modules') at the next request. setsid: Ctrl-C reaches Maven only through cleanup, which stops its whole group.
    setsid ./mvnw -B quarkus:dev -pl "$s" -am -Ddebug="${DEBUG_PORTS[$i]}" -Dquarkus.console.enabled=false \
      -Dquarkus.http.host="$BIND" -Dquarkus.http.port="${PORTS[$i]}" </dev/null >"$RUN_DIR/logs/$s.log" 2>&1 &
    dev_groups+=($!)
    svc_pids[$i]=$!
  else
    start_jar "$i"
  fi
  pids+=("${svc_pids[$i]}")
done
# a jar starts in seconds; dev mode first starts Maven and compiles
if $DEV; then start_limit=240; else start_limit=30; fi
for i in "${!SERVICES[@]}"; do
  wait_ready "$i" "$start_limit" || die "${SERVICES[$i]} is not ready after $start_limit s: see $RUN_DIR/logs/${SERVICES[$i]}.log"
done

# never print a token: only say where it is
if grep -q "^LIVEQUEUE_OPERATOR_TOKEN=$LIVEQUEUE_OPERATOR_TOKEN\$" "$SECRETS" 2>/dev/null; then
  operator_token="grep OPERATOR $SECRETS"
else
  operator_token="the one in LIVEQUEUE_OPERATOR_TOKEN"
fi
cat <<MSG

  livequeue is running (logs in $RUN_DIR/logs, Redis at $(redis_url_masked "$REDIS_URL"), callers: LIVEQUEUE_AUTH=$LIVEQUEUE_AUTH)

  demo page        http://localhost:${PORTS[0]}/
  operators        http://localhost:${PORTS[0]}/dashboard   (token: $operator_token)
  WebSocket        ws://localhost:${PORTS[0]}/ws   (and ws://localhost:${PORTS[0]}/)
  REST API         http://localhost:${PORTS[1]}/api/jobs
  health           http://localhost:${PORTS[1]}/q/health  http://localhost:${PORTS[2]}/q/health
                   http://localhost:${PORTS[0]}/q/health

  try:  curl -i -H 'Content-Type: application/json' -d '{"type":"echo","payload":{"hello":"world"}}' \\
          http://localhost:${PORTS[1]}/api/jobs

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
  say "a process exited; see $RUN_DIR/logs"
  exit 1
fi

# --- watch: a service that exits is started again, alone ------------------------------------------------------------
# The wait before a restart doubles (1 s, 2 s, 4 s … 30 s at most) while the service keeps dying within a minute of its
# start, so that a crash loop does not spin; a service that ran for a minute or more starts again after 1 s. Its log
# goes on in the same file. A private Redis that exits stops everything, as before.
started_at=() backoff=()
for i in "${!SERVICES[@]}"; do started_at[$i]=$SECONDS; backoff[$i]=0; done
while true; do
  exited='' status=0
  wait -n -p exited "${pids[@]}" 2>/dev/null || status=$? # Ctrl-C interrupts it: the trap above stops everything
  if [ -z "$exited" ]; then
    [ "$status" -eq 127 ] && { say "nothing left to watch; see $RUN_DIR/logs"; exit 1; }
    continue
  fi
  i=''
  for j in "${!SERVICES[@]}"; do [ "${svc_pids[$j]}" = "$exited" ] && i=$j; done
  [ -n "$i" ] || { say "the private Redis (pid $exited) exited; stopping"; exit 1; }
  s=${SERVICES[$i]}
  ran=$((SECONDS - started_at[i]))
  if [ "$ran" -ge 60 ]; then backoff[$i]=1; else backoff[$i]=$((backoff[i] ? backoff[i] * 2 : 1)); fi
  [ "${backoff[$i]}" -gt 30 ] && backoff[$i]=30
  say "$s (pid $exited) exited with status $status after $ran s; starting it again in ${backoff[$i]} s" \
    "(log: $RUN_DIR/logs/$s.log)"
  sleep "${backoff[$i]}" &
  sleeper=$!
  wait "$sleeper" || true # interruptible: Ctrl-C during the back-off still stops everything at once
  sleeper=''
  start_jar "$i" '>>'
  started_at[$i]=$SECONDS
  for j in "${!pids[@]}"; do [ "${pids[$j]}" = "$exited" ] && pids[$j]=${svc_pids[$i]}; done
  say "$s started again (pid ${svc_pids[$i]})"
done
