#!/usr/bin/env bash
# Cold start, measured as ./run.sh starts the services (same JVM, options and class-data archive):
#   scripts/cold-start.sh [runs]     default 5
# 1. ./run.sh once on free ports (it trains its archives first when the jars or the JVM changed), then the exact
#    command line and environment it gave each service are read from /proc and the stack is stopped.
# 2. Each service alone, `runs` times: process start -> /q/health/ready answers 200 (wall ms), and the CPU the JVM
#    used until then (ms, from /proc). Goal: <= 1,500 ms wall.
# 3. `runs` times: a fresh ./run.sh, then at once the first 5,000 jobs (./bench.sh --warmup 0 --jobs 5000
#    --in-flight 64 --clients 50, one POST per job): the rate a user meets first. The generator is a fresh JVM as
#    well and shares the cores, so this is a pessimistic figure; ../shared/bench/duel.sh measures the same with a
#    Node generator, beside the Node peers.
# Env: REDIS_URL (default: a private redis-server on a free port), COLD_RUN_DIR (default target/cold-start; its
# aot/ keeps the archives between runs), anything ./run.sh reads (LIVEQUEUE_JAVA, LIVEQUEUE_AOT=off, ...).
# Prints medians and ranges (min-max), and the load average, which matters on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
DIR=${COLD_RUN_DIR:-$PWD/target/cold-start}
mkdir -p "$DIR"
pids=()
cleanup() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { local p=$1; while { exec 3<>"/dev/tcp/127.0.0.1/$p"; } 2>/dev/null; do exec 3<&- 3>&-; p=$((p + 1)); done; echo "$p"; }
stats() { # numbers... -> "median M (min-max)"
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "median %d (%d-%d)", a[int((NR+1)/2)], a[1], a[NR]}'
}

if [ -z "${REDIS_URL:-}" ]; then
  rport=$(free_port 6420)
  redis-server --port "$rport" --bind 127.0.0.1 --save "" --appendonly no >"$DIR/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do redis-cli -p "$rport" ping >/dev/null 2>&1 && break; sleep 0.1; done
  export REDIS_URL=redis://127.0.0.1:$rport
fi
g=$(free_port 18180); p=$(free_port $((g + 1))); c=$(free_port $((p + 1)))
export LIVEQUEUE_PORTS="$g $p $c" LIVEQUEUE_RUN_DIR=$DIR

start_stack() { # -> ./run.sh in the background, returns when it says the stack runs
  setsid ./run.sh >"$DIR/run.sh.out" 2>&1 </dev/null &
  stack=$!
  pids+=("$stack")
  for _ in $(seq 600); do
    grep -q 'livequeue is running' "$DIR/run.sh.out" && return 0
    kill -0 "$stack" 2>/dev/null || { cat "$DIR/run.sh.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "cold-start.sh: ./run.sh did not start (see $DIR/run.sh.out)" >&2; exit 1
}
stop_stack() { kill "$stack" 2>/dev/null || true; wait "$stack" 2>/dev/null || true; }

echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
t0=$(date +%s%N)
start_stack
echo "./run.sh: stack running after $((($(date +%s%N) - t0) / 1000000)) ms$(grep -q 'training class-data' "$DIR/run.sh.out" && echo ' (archives trained first)')"
declare -A cmd env
for s in websocket-gateway producer-service consumer-service; do
  pid=$(pgrep -P "$stack" -f "$s/target/quarkus-app/quarkus-run.jar" | head -1)
  cmd[$s]=$(tr '\0' '\n' <"/proc/$pid/cmdline" | base64 -w0)
  env[$s]=$(tr '\0' '\n' <"/proc/$pid/environ" | base64 -w0)
done
echo "JVM: $(base64 -d <<<"${cmd[producer-service]}" | head -1); archive: $(base64 -d <<<"${cmd[producer-service]}" | grep -E -- '-XX:(AOTCache|SharedArchiveFile)=' | sed 's/=.*//' || echo none)"
stop_stack

port_of() { base64 -d <<<"${cmd[$1]}" | sed -n 's/^-Dquarkus.http.port=//p'; }
for s in websocket-gateway producer-service consumer-service; do
  walls=() cpus=()
  port=$(port_of "$s")
  mapfile -t argv < <(base64 -d <<<"${cmd[$s]}")
  mapfile -t envv < <(base64 -d <<<"${env[$s]}")
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    env -i "${envv[@]}" "${argv[@]}" >"$DIR/$s-alone.log" 2>&1 &
    jp=$!
    until curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
      kill -0 "$jp" 2>/dev/null || { echo "$s exited: see $DIR/$s-alone.log" >&2; exit 1; }
      sleep 0.01
    done
    walls+=($((($(date +%s%N) - t0) / 1000000)))
    cpus+=($(awk '{print ($14 + $15) * 10}' "/proc/$jp/stat"))
    kill "$jp"; wait "$jp" 2>/dev/null || true
  done
  printf '%-18s alone, process start -> ready: wall ms %s, CPU ms %s  [%s]  load %s\n' "$s" "$(stats "${walls[@]}")" \
    "$(stats "${cpus[@]}")" "${walls[*]}" "$(cut -d' ' -f1 /proc/loadavg)"
done

rates=()
for _ in $(seq "$RUNS"); do
  start_stack
  ./bench.sh --producer "http://127.0.0.1:$p" --gateway "ws://127.0.0.1:$g/ws" --jobs 5000 --warmup 0 \
    --in-flight 64 --clients 50 >"$DIR/bench.out" 2>&1 || { cat "$DIR/bench.out" >&2; exit 1; }
  rate=$(python3 -c "import json,sys; print(int(json.load(open('target/bench/bench.json'))['jobsPerSecond']))" 2>/dev/null \
    || grep -oiE '[0-9,.]+ jobs/s' "$DIR/bench.out" | head -1 | tr -dc '0-9.' | cut -d. -f1)
  rates+=("$rate")
  stop_stack
done
printf 'first 5,000 jobs after ./run.sh is ready (./bench.sh, cold generator): jobs/s %s  [%s]  load %s\n' \
  "$(stats "${rates[@]}")" "${rates[*]}" "$(cut -d' ' -f1 /proc/loadavg)"
