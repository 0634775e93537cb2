#!/usr/bin/env bash
# Load test against a running stack: builds the load generator if needed, then runs it. Five modes:
#
# end-to-end (default; the whole stack, started by ./run.sh): jobs POSTed to the producer, results over WebSocket
#   ./bench.sh                                  20,000 echo jobs, one POST each, 64 in flight, closed loop
#   ./bench.sh --batch 100 --in-flight 8        batches of 100
#   ./bench.sh --rate 1000 --jobs 30000         open loop at 1,000 jobs/s
#   each first runs 20,000 jobs the same way that are left out of the report (--warmup N changes that)
#
# queue-only (Redis and consumer-service only): the consumers' lifecycle alone (claim, run echo, store, publish,
# ack). Echo jobs are written straight into Redis far faster than they drain; reports lifecycle jobs/s on the
# pre-filled queue (from the end of the fill to the last final event), the rate counted from the first pickup, and
# the fill rate.
#   ./bench.sh --mode queue-only --jobs 50000 [--redis redis://localhost:6379] [--prefix livequeue]
#
# pickup (Redis and consumer-service only): idle pickup latency, one job at a time into an empty queue, from just
# before the enqueue to its `active` event (an upper bound of enqueue -> handler start: it includes the pub/sub hop).
#   ./bench.sh --mode pickup --jobs 2000 [--redis redis://localhost:6379] [--prefix livequeue]
#
# scheduled (producer, consumers and their Redis): punctuality of delayed jobs. Echo jobs POSTed at a fixed rate
# (open loop), each with "delay": lead, so they come due at that rate; reports lateness = the active event's startedAt
# minus the job's runAt (both on the Redis clock: the 202's runAt, the events channel), p50/p99/max, and how many started
# early (must be 0).
#   ./bench.sh --mode scheduled [--rate 1000] [--lead 1000] [--jobs 10000] [--producer http://localhost:8081]
#              [--redis redis://localhost:6379] [--prefix livequeue]
#
# sockets (Redis and the gateway only): S idle WebSockets from several loopback source addresses (127.0.b.a), then
# events PUBLISHed straight into the events channel at a fixed rate, each to one socket's inbox, while all stay open;
# reports how many opened and stayed open, the gateway's RSS per socket (--gateway-pid) and delivery latency
# (PUBLISH sent -> frame received) p50/p99. One process holds one file descriptor per socket: beyond ulimit -n run
# several, the extra ones with --first-source apart and --rate 0 --hold (README, Benchmark).
#   ./bench.sh --mode sockets [--sockets 10000] [--rate 10000] [--jobs 100000] [--gateway-pid PID]
#              [--gateway ws://localhost:8080/ws] [--redis redis://localhost:6379]
#
# queue-only, pickup and scheduled exit with 2 when no consumer takes a job within 5 s (scheduled also when the
# producer refuses "delay").
# Results: printed, and in target/bench/bench.json and bench.md. ./bench.sh --help lists every option.
set -euo pipefail
cd "$(dirname "$0")"
jar=livequeue-bench/target/livequeue-bench.jar
# the direct modes write jobs with core's scripts, which must match the consumers': a changed core rebuilds the bench
if [ ! -f "$jar" ] || [ -n "$(find livequeue-bench/src livequeue-bench/pom.xml livequeue-core/src livequeue-core/pom.xml \
    -newer "$jar" -print -quit)" ]; then
  ./mvnw -B -q -DskipTests package -pl livequeue-bench -am || { echo "[bench.sh] the build failed" >&2; exit 1; }
fi
# The direct modes are short runs on the cores the consumers and Redis need: without C2 the generator uses about a
# third less CPU (C2's compilations cost more than they save here). End-to-end keeps the defaults it was measured with.
jvm=(-Xmx512m)
previous=
for arg in "$@"; do
  if [ "$previous" = --mode ] && [ "$arg" != end-to-end ]; then
    jvm+=(-XX:TieredStopAtLevel=1)
  fi
  previous=$arg
done
exec java "${jvm[@]}" -jar "$jar" "$@"
