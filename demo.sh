#!/usr/bin/env bash
# Smoke demo: starts the local services, moves a few records Kafka -> PostgreSQL through
# PREPARE TRANSACTION / COMMIT PREPARED, prints each step, and stops everything (also on failure).
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
dotnet build -c Release -v quiet -nologo

etl=(dotnet src/Worker/bin/Release/net10.0/etl.dll)
if [ -f .local/services.env ]; then "${etl[@]}" dev down || rm -f .local/services.env; fi
trap '"${etl[@]}" dev down' EXIT
"${etl[@]}" dev up
set -a
# shellcheck disable=SC1091
. .local/services.env
set +a
"${etl[@]}" dev smoke
