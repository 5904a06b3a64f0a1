#!/usr/bin/env bash
# Runs one benchmark in Release: ./bench.sh NAME [args]. ./bench.sh alone lists them.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build bench/Etl.Bench.csproj -c Release -v quiet -nologo >/dev/null
exec dotnet bench/bin/Release/net10.0/Etl.Bench.dll "$@"
