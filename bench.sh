#!/usr/bin/env bash
# Runs one benchmark in Release: ./bench.sh NAME [args]. ./bench.sh alone lists them.
# The benchmarks that need Kafka and PostgreSQL (sink, kafka-source, e2e, standby; standby also S3) use, in order: KAFKA_BOOTSTRAP_SERVERS /
# ETL_POSTGRES from the environment, the services of a running `etl dev up` (.local/services.env), or local
# services this script starts (`etl dev up`) and stops again on exit.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build bench/Etl.Bench.csproj -c Release -v quiet -nologo >/dev/null

case "${1:-}" in
  checkpoint-storage-s3)
    # S3 from the environment (ETL_S3_ENDPOINTS, ETL_S3_BUCKET, AWS_*), a running `etl dev up`, or one started here.
    if [ -z "${ETL_S3_ENDPOINTS:-}" ]; then
      scripts/install-deps.sh
      if [ ! -f .local/services.env ]; then
        dotnet build samples/OrderTotals/Etl.Samples.OrderTotals.csproj -c Release -v quiet -nologo >/dev/null
        etl=(dotnet samples/OrderTotals/bin/Release/net10.0/etl.dll)
        trap '"${etl[@]}" dev down >/dev/null 2>&1 || true' EXIT
        "${etl[@]}" dev up
      fi
      set -a
      # shellcheck disable=SC1091
      . .local/services.env
      set +a
    fi
    ;;
  sink|kafka-source|e2e|standby)
    # kcat is the Kafka benchmarks' independent client.
    scripts/install-deps.sh --bench
    if [ -z "${ETL_POSTGRES:-}" ]; then
      if [ ! -f .local/services.env ]; then
        dotnet build samples/OrderTotals/Etl.Samples.OrderTotals.csproj -c Release -v quiet -nologo >/dev/null
        etl=(dotnet samples/OrderTotals/bin/Release/net10.0/etl.dll)
        trap '"${etl[@]}" dev down >/dev/null 2>&1 || true' EXIT
        "${etl[@]}" dev up
      fi
      set -a
      # shellcheck disable=SC1091
      . .local/services.env
      set +a
    fi
    ;;
esac

if [ "${1:-}" = "e2e" ]; then
  # The recovery phase also restarts the worker as the Dockerfile ships it: a ReadyToRun publish.
  dotnet publish samples/OrderTotals/Etl.Samples.OrderTotals.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o bench/bin/worker-r2r -v quiet -nologo >/dev/null
  export ETL_BENCH_WORKER_R2R="$PWD/bench/bin/worker-r2r/etl.dll"
fi

# Not exec: the EXIT trap must stop services this script started.
dotnet bench/bin/Release/net10.0/Etl.Bench.dll "$@"
