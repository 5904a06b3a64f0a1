#!/usr/bin/env bash
# Installs what the tests and the demo need and a fresh machine lacks (DESIGN.md 9): the PostgreSQL 15 server
# binaries, Debian's chromium (the browser test drives it through Playwright, which must not download its own), and
# Ceph's monitor, OSD and S3 gateway (radosgw) for the S3 checkpoint storage tests (LocalS3 starts a one-node
# throwaway cluster with an in-memory OSD). The Kafka client's native library comes with the librdkafka.redist
# package (no Debian librdkafka).
# `--bench` also installs kcat, which the Kafka benchmarks use as an independent client (it brings Debian's
# librdkafka1 with it; Etl itself still loads only the bundled build, see KafkaNativeLibrary).
# apt-get update runs only when something is missing.
set -euo pipefail

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ -x /usr/bin/chromium ] || missing+=(chromium)
for ceph in ceph-mon ceph-osd radosgw; do
  command -v "$ceph" >/dev/null 2>&1 || missing+=("$ceph")
done
if [ "${1:-}" = "--bench" ]; then
  command -v kcat >/dev/null 2>&1 || missing+=(kcat)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all present"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
