# Helpers for benchmarks that run the packaged app and a separate simulator process.
# Source after lib.sh. Every process started here is tracked by pid so the caller's trap can stop exactly those.

BENCH_PLATFORMS=(x instagram youtube tiktok pinterest bluesky)
# made-up platforms served by the generic simulator (/sandbox/platforms/<p>) through the generic adapter: for
# benches that measure the engine, not the adapters (text posts, one call each). Same names as benchlib.GENERIC.
BENCH_GENERIC=(gen-a gen-b gen-c gen-d gen-e gen-f)
# the platforms the helpers below configure; a bench of the engine sets BENCH_TARGETS=("${BENCH_GENERIC[@]}")
BENCH_TARGETS=("${BENCH_PLATFORMS[@]}")
# the small-server flags README recommends (same as startup.sh); override with BENCH_JAVA_OPTS="..."
read -r -a BENCH_JAVA <<<"${BENCH_JAVA_OPTS:--XX:+UseSerialGC -Xmx512m}"

bench_log() { echo "[$(date +%T)] $*" >&2; }

# bench_wait_http URL PID TIMEOUT_S: waits until URL answers 2xx; fails if PID dies or on timeout.
bench_wait_http() {
  local url=$1 pid=$2 timeout=${3:-120} start=$SECONDS
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    kill -0 "$pid" 2>/dev/null || { echo "process $pid exited while waiting for $url" >&2; return 1; }
    (( SECONDS - start < timeout )) || { echo "timeout waiting for $url" >&2; return 1; }
    sleep 0.1
  done
}

# bench_start_sim PORT DATA_DIR LOG [ARGS...]: the same jar as a simulator-only process (no scheduler, so it
# never publishes anything itself). Its readiness stays DOWN ("scheduler absent"), so we wait for liveness and
# the sandbox admin endpoint instead. Sets SIM_PID.
bench_start_sim() {
  local port=$1 dir=$2 log=$3; shift 3
  java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" --server.port="$port" --crosspost.data-dir="$dir" \
    --db-scheduler.enabled=false --crosspost.intake.demo.enabled=false --crosspost.log.format=text "$@" >"$log" 2>&1 &
  SIM_PID=$!
  bench_wait_http "http://127.0.0.1:$port/actuator/health/liveness" "$SIM_PID" 180
  bench_wait_http "http://127.0.0.1:$port/sandbox/faults" "$SIM_PID" 30
}

# bench_sim_open_quota_args [SKIP_PLATFORM]: simulator settings that take quota out of the way.
# (Give each property once: Spring joins repeated command-line options with commas.)
bench_sim_open_quota_args() {
  local skip=${1:-} p
  for p in "${BENCH_TARGETS[@]}"; do
    [ "$p" = "$skip" ] && continue
    echo "--crosspost.sandbox.platforms.$p.quota-limit=100000000"
  done
  # TikTok's per-token limits per minute (init 6, status 30) would pace a bench to a few posts a minute
  [ "$skip" = tiktok ] || echo "--crosspost.sandbox.platforms.tiktok.request-limit-factor=10000"
}

# bench_app_base_url_args SIM_PORT: points every platform's dedicated adapter of the app under test at that
# platform's own simulator in the simulator process (/sandbox/x, /sandbox/youtube, ...). With a base-url set,
# Bluesky's adapter sends videos to the real video.bsky.app, so benches post text only to Bluesky.
bench_app_base_url_args() {
  local sim_port=$1 p
  for p in "${BENCH_TARGETS[@]}"; do
    case " ${BENCH_PLATFORMS[*]} " in
      *" $p "*) echo "--crosspost.platforms.$p.base-url=http://127.0.0.1:$sim_port/sandbox/$p" ;;
      *) echo "--crosspost.platforms.$p.base-url=http://127.0.0.1:$sim_port/sandbox/platforms/$p" ;;
    esac
  done
}

# bench_app_open_quota_args [SKIP_PLATFORM]: app-side quotas out of the way (x also has an app-wide quota).
bench_app_open_quota_args() {
  local skip=${1:-} p
  for p in "${BENCH_TARGETS[@]}"; do
    [ "$p" = "$skip" ] && continue
    echo "--crosspost.platforms.$p.quota.limit=100000000"
    echo "--crosspost.platforms.$p.quota.period=1h"
  done
  echo "--crosspost.platforms.x.app-quota.limit=100000000"
  echo "--crosspost.platforms.x.app-quota.period=1h"
  echo "--crosspost.identity.rate-limits.enabled=false" # the benches call the API far faster than 100 per 15 min
}

# bench_stop PID [GRACE_S]: SIGTERM, then SIGKILL after GRACE_S; never fails.
bench_stop() {
  local pid=$1 grace=${2:-40} i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# bench_stop_postmaster DATA_DIR: after a SIGKILL the app's embedded PostgreSQL keeps running until the next
# start stops it; this stops it (fast shutdown) when nobody will start the app again. Only the postmaster named
# in that data dir's pid file, and only if it is a postgres process.
bench_stop_postmaster() {
  local pidfile=$1/postgres/postmaster.pid pm i
  [ -f "$pidfile" ] || return 0
  pm=$(head -1 "$pidfile" 2>/dev/null || true)
  [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null || return 0
  ps -o comm= -p "$pm" | grep -q postgres || return 0
  kill -INT "$pm" 2>/dev/null || true
  for ((i = 0; i < 200; i++)); do kill -0 "$pm" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pm" 2>/dev/null || true
}

# bench_crash_host APP_PID DATA_DIR: a power cut on the app's host. One kill(1) SIGKILLs the JVM and its embedded
# PostgreSQL, the postmaster and every child (WAL writer included), so WAL still in PostgreSQL's buffers is lost
# with them: commits that did not wait for the flush may be undone by the crash recovery of the next start.
bench_crash_host() {
  local app=$1 pidfile=$2/postgres/postmaster.pid pm="" kids=""
  if [ -f "$pidfile" ]; then
    pm=$(head -1 "$pidfile" 2>/dev/null || true)
    if [ -n "$pm" ] && ps -o comm= -p "$pm" 2>/dev/null | grep -q postgres; then kids=$(pgrep -P "$pm" || true); else pm=""; fi
  fi
  # shellcheck disable=SC2086 # the pids are words
  kill -KILL "$app" $pm $kids 2>/dev/null || true
}

# bench_set_faults SIM_PORT JSON: POST /sandbox/faults.
bench_set_faults() {
  curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$1/sandbox/faults"
}
