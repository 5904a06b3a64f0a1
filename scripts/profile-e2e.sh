#!/usr/bin/env bash
# Profiles the order-total job's round of a one-round `bench e2e` run (docs/benchmarks.md, "Profile before and after"):
# starts the benchmark, attaches dotnet-trace (sampled thread time) when the bare loop has finished, for 6 s (TRACE_SECONDS=N for N), and
# prints the top frames. Needs dotnet-trace (`dotnet tool install --tool-path DIR dotnet-trace`; DOTNET_TRACE=DIR/dotnet-trace)
# and the local services (`etl dev up`). Usage: scripts/profile-e2e.sh NAME [more e2e arguments]; writes NAME.nettrace.
# PROFILE=gc-verbose samples allocations instead, and prints the bytes allocated by type (scripts/alloc-report).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/profile-e2e.sh NAME [e2e arguments]}
shift
trace=${DOTNET_TRACE:-dotnet-trace}
set -a
# shellcheck disable=SC1091
. .local/services.env
set +a
dotnet build bench/Etl.Bench.csproj -c Release -v quiet -nologo >/dev/null
dotnet bench/bin/Release/net10.0/Etl.Bench.dll e2e --orders 1000000 --customers 100000 --phases throughput --rounds 1 --configs eo10 "$@" > "$name.log" 2>&1 &
bench=$!
until grep -q "^bare loop:" "$name.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$name.log"; exit 1; }
  sleep 0.05
done
"$trace" collect -p "$bench" --profile ${PROFILE:-dotnet-sampled-thread-time} --duration 00:00:00:${TRACE_SECONDS:-06} -o "$name.nettrace" > "$name.trace.log" 2>&1
wait "$bench"
grep -E "^round 1|throughput /|CPU per|tail \(" "$name.log"
if [ "${PROFILE:-}" = "gc-verbose" ]; then
  dotnet run --project scripts/alloc-report -c Release -- "$name.nettrace"
else
  "$trace" report "$name.nettrace" topN -n 25
fi
