#!/usr/bin/env bash
# CPU profile (Linux perf, every thread including librdkafka's calls, the GC and the kernel) of exactly the order-total
# job's round of a one-round `bench e2e` run: records from the line "bare loop:" to the line "round 1:", with the
# runtime's perf map so JIT-compiled frames have names. Needs perf (apt: linux-perf) and the local services (`etl dev up`).
# Usage: scripts/perf-e2e.sh NAME [more e2e arguments]; writes NAME.log and NAME.perf, prints the top frames.
# Read more with e.g. `perf report -i NAME.perf --no-children --sort sym` or `--sort dso`.
set -uo pipefail
name=$(realpath -m "${1:?usage: scripts/perf-e2e.sh NAME [e2e arguments]}")
shift
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 2; }
set -a
# shellcheck disable=SC1091
. .local/services.env
set +a
dotnet build bench/Etl.Bench.csproj -c Release -v quiet -nologo >/dev/null || exit 1
# W^X off: with it, JIT code runs from a second mapping that the perf map does not name.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet bench/bin/Release/net10.0/Etl.Bench.dll e2e --orders 1000000 \
  --customers 100000 --phases throughput --rounds 1 --configs eo10 "$@" > "$name.log" 2>&1 &
bench=$!
until grep -q "^bare loop:" "$name.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$name.log"; exit 1; }
  sleep 0.05
done
perf record -F 1999 -g -p "$bench" -o "$name.perf" > "$name.perf.log" 2>&1 &
recorder=$!
until grep -q "^round 1:" "$name.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || break
  sleep 0.05
done
kill -INT "$recorder"
wait "$recorder"
wait "$bench"
grep -E "^round 1|throughput /|CPU per|tail \(" "$name.log"
perf report -i "$name.perf" --stdio --no-children -g none --sort dso 2>/dev/null | grep -v "^#" | grep -v "^$" | head -8
perf report -i "$name.perf" --stdio --no-children -g none --sort sym 2>/dev/null | grep -v "^#" | grep -v "^$" | head -30 | cut -c1-200
