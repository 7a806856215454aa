#!/usr/bin/env bash
# Jetstream collector throughput: the packaged app's collector reads the app's own Jetstream simulator
# (/sandbox/jetstream/subscribe, synthesized posts) while the simulator's rate is stepped up through
# JETSTREAM_RATES. Both run in the one JVM on the machine's 2 cores, so the simulator's CPU counts against the
# collector. Each step warms up for 2 s, then reads /api/v1/trends/status before and after JETSTREAM_STEP_SECONDS:
# events/s counted, dropped share, queue depth, lag, and the RSS of the JVM plus its PostgreSQL.
#
# Env: JETSTREAM_RATES ("5000 10000 20000 40000 80000") offered posts/s per step; JETSTREAM_STEP_SECONDS (10).
# Last line: RESULT events_per_s=<counted/s of the highest step with no drops> drop_ratio=<of that step>
#            rss_mb=<largest RSS seen> (max_offered=<that step's offered rate>)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"

RATES=${JETSTREAM_RATES:-5000 10000 20000 40000 80000}
STEP=${JETSTREAM_STEP_SECONDS:-10}

bench_package
work=$(mktemp -d /tmp/bench-jetstream.XXXXXX)
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(bench_free_port)
java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" --server.port="$port" --crosspost.data-dir="$work/data" --crosspost.log.format=text \
  --crosspost.intake.demo.enabled=false --crosspost.identity.rate-limits.enabled=false \
  --crosspost.sandbox.jetstream.rate=0 >"$work/app.log" 2>&1 &
APP_PID=$!
bench_wait_http "http://127.0.0.1:$port/actuator/health/readiness" "$APP_PID" 240
base="http://127.0.0.1:$port"
BENCH_KEY=$(bench_api_key "$base")

status() { curl -fsS -H "X-API-Key: $BENCH_KEY" "$base/api/v1/trends/status"; }
field() { python3 -c 'import json,sys; v=json.loads(sys.argv[1]).get(sys.argv[2]); print(0 if v is None else v)' "$1" "$2"; }
set_rate() { curl -fsS -o /dev/null -X POST "$base/sandbox/jetstream/rate?eventsPerSecond=$1"; }

best_eps=0 best_drop=0 best_offered=0 max_rss=0
printf '%-8s %-10s %-10s %-9s %-10s %-8s %-7s\n' offered received/s counted/s dropped drop_ratio lag_s rss_mb >&2
for rate in $RATES; do
  set_rate "$rate"
  sleep 2
  s0=$(status); t0=$(date +%s.%N)
  sleep "$STEP"
  s1=$(status); t1=$(date +%s.%N)
  rss=$(bench_rss_mb "$APP_PID" "$work/data")
  (( rss > max_rss )) && max_rss=$rss
  read -r recv eps dropped ratio lag < <(python3 - "$s0" "$s1" "$t0" "$t1" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
dt = float(sys.argv[4]) - float(sys.argv[3])
recv = b["received"] - a["received"]
done = b["processed"] - a["processed"]
dropped = b["dropped"] - a["dropped"]
print(f"{recv / dt:.0f} {done / dt:.0f} {dropped} {dropped / recv if recv else 0:.4f} {b.get('lagSeconds') or 0:.2f}")
PY
)
  printf '%-8s %-10s %-10s %-9s %-10s %-8s %-7s\n' "$rate" "$recv" "$eps" "$dropped" "$ratio" "$lag" "$rss" >&2
  if [ "$dropped" -eq 0 ] && (( eps > best_eps )); then best_eps=$eps best_drop=$ratio best_offered=$rate; fi
done
set_rate 0
bench_log "collector at the end: $(status)"
echo "RESULT events_per_s=$best_eps drop_ratio=$best_drop rss_mb=$max_rss max_offered=$best_offered"
