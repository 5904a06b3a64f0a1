#!/usr/bin/env bash
# The order-total demo: starts the local services, creates the orders topic (4 partitions), produces a
# seeded order stream (out of order, some late, some malformed) in two halves around a running worker,
# takes a savepoint, stops the worker with SIGTERM (final savepoint), resumes from it in a bounded run to
# the end of the input, then prints the top customers and checks the totals table against totals computed
# directly from the generated input. Exits non-zero on any mismatch. Stops everything on exit. While a worker
# runs it prints the job page's URL and a progress line every 2 s (etl demo watch).
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
dotnet build -c Release -v quiet -nologo

etl=(dotnet samples/OrderTotals/bin/Release/net10.0/etl.dll)
if [ -f .local/services.env ]; then "${etl[@]}" dev down || rm -f .local/services.env; fi
worker_pid=""
watch_pid=""
cleanup() {
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; fi
  if [ -n "$worker_pid" ]; then kill -9 "$worker_pid" 2>/dev/null || true; fi
  "${etl[@]}" dev down >/dev/null 2>&1 || true
}
trap cleanup EXIT
# The demo keeps its checkpoints on the local disk: no S3 store needed.
"${etl[@]}" dev up --no-s3
set -a
# shellcheck disable=SC1091
. .local/services.env
set +a

# The job's settings, read by `etl run` and by `etl demo` alike (README "Configuration").
export Etl__JobName=order-totals-demo
export Etl__Kafka__Topic=orders
export Etl__Parallelism=2
export Etl__Window__Kind=tumbling Etl__Window__Size=1min Etl__Window__OutOfOrderness=5s Etl__Window__AllowedLateness=10s
export Etl__Checkpoints__Directory=.local/demo-checkpoints Etl__Checkpoints__Interval=1s
count=20000
seed=42
log=.local/demo-worker.log
rm -rf .local/demo-checkpoints "$log"

step() { printf '\n== %s\n' "$*"; }

# Waits until the worker started in the background ($worker_pid) answers on its endpoint and sets url; returns 1
# if the worker exited first.
wait_for_endpoint() {
  url=""
  for _ in $(seq 1 300); do
    url=$(sed -n 's/^endpoint: //p' "$log" | tail -1)
    if [ -n "$url" ] && "${etl[@]}" health --url "$url" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$worker_pid" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  echo "the worker did not become ready" >&2
  exit 1
}

# Progress lines from the worker's GET /job every 2 s until it stops (etl demo watch).
watch_worker() {
  "${etl[@]}" demo watch --url "$url" &
  watch_pid=$!
}

stop_watching() {
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; wait "$watch_pid" 2>/dev/null || true; watch_pid=""; fi
}

step "topic"
"${etl[@]}" demo create-topic --partitions 4

step "first half of the orders, before the worker starts"
"${etl[@]}" demo produce --count "$count" --seed "$seed" --to $((count / 2))

step "worker (logs in $log)"
"${etl[@]}" run --http-port 0 >"$log" 2>&1 &
worker_pid=$!
wait_for_endpoint || { cat "$log"; echo "the worker exited early" >&2; exit 1; }
echo "worker $worker_pid ready; job page: $url (checkpoints, throughput, back-pressure, lag; JSON at ${url}job)"
watch_worker

step "second half of the orders, while the worker runs"
"${etl[@]}" demo produce --count "$count" --seed "$seed" --from $((count / 2))

step "savepoint of the running job"
"${etl[@]}" savepoint --url "$url"

step "SIGTERM: stop with a final savepoint"
kill -TERM "$worker_pid"
wait "$worker_pid"
worker_pid=""
stop_watching
final=$(sed -n 's/^finished: savepoint [0-9]* at //p' "$log" | tail -1)
if [ -z "$final" ]; then cat "$log"; echo "the worker did not stop with a savepoint" >&2; exit 1; fi
echo "final savepoint: $final"

step "resume from the savepoint; bounded run to the end of the input (fires the last windows)"
"${etl[@]}" run --from-checkpoint "$final" --stop-at-end --http-port 0 >>"$log" 2>&1 &
worker_pid=$!
# A short bounded run may end before it is seen ready; then there is nothing to watch.
if wait_for_endpoint; then
  echo "worker $worker_pid ready; job page: $url"
  watch_worker
fi
wait "$worker_pid"
worker_pid=""
stop_watching
grep '^finished:' "$log" | tail -1

step "checkpoints and savepoints of the job"
"${etl[@]}" checkpoints list --job "$Etl__JobName" --checkpoint-dir "$Etl__Checkpoints__Directory"

step "result"
"${etl[@]}" demo check --count "$count" --seed "$seed"
