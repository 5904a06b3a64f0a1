#!/usr/bin/env bash
# Installs what the tests and the demo need and a fresh machine lacks (DESIGN.md 9):
# Debian's librdkafka (runtime + dev symlink + kcat) and the PostgreSQL 15 server binaries.
# apt-get update runs only when something is missing.
set -euo pipefail

missing=()
for pkg in librdkafka1 librdkafka-dev kcat; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all present"
  exit 0
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
