#!/usr/bin/env bash
# Load test against a running stack (start it with ./run.sh): builds the load generator if needed, then runs it.
#   ./bench.sh                                  20,000 echo jobs, one POST each, 64 in flight, closed loop
#   ./bench.sh --batch 100 --in-flight 8        batches of 100
#   ./bench.sh --rate 1000 --jobs 30000         open loop at 1,000 jobs/s
# Results: printed, and in target/bench/bench.json and bench.md. ./bench.sh --help lists every option.
set -euo pipefail
cd "$(dirname "$0")"
jar=livequeue-bench/target/livequeue-bench.jar
if [ ! -f "$jar" ] || [ -n "$(find livequeue-bench/src livequeue-bench/pom.xml -newer "$jar" -print -quit)" ]; then
  ./mvnw -B -q -DskipTests package -pl livequeue-bench || { echo "[bench.sh] the build failed" >&2; exit 1; }
fi
exec java -Xmx512m -jar "$jar" "$@"
