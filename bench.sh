#!/usr/bin/env bash
# Runs one benchmark in Release: ./bench.sh NAME [args]. ./bench.sh alone lists them.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build bench/Etl.Bench.csproj -c Release -v quiet -nologo >/dev/null
if [ "${1:-}" = "e2e" ]; then
  # The recovery phase also restarts the worker as the Dockerfile ships it: a ReadyToRun publish.
  dotnet publish src/Worker/Etl.Worker.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o bench/bin/worker-r2r -v quiet -nologo >/dev/null
  export ETL_BENCH_WORKER_R2R="$PWD/bench/bin/worker-r2r/etl.dll"
fi
exec dotnet bench/bin/Release/net10.0/Etl.Bench.dll "$@"
