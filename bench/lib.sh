# Shared helpers for bench/*.sh: JDK choice (same as CI), packaging, readiness wait, RSS sampling.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$BENCH_ROOT/.ci/jdk.sh"

# Builds the jar once and extracts it (Boot's recommended layout: faster class loading than the nested fat jar).
bench_package() {
  (cd "$BENCH_ROOT" && ./mvnw -q -B -ntp -DskipTests package) >&2
  local jar; jar=$(ls "$BENCH_ROOT"/target/crosspost-*.jar | grep -v original | head -1)
  rm -rf "$BENCH_ROOT/target/bench-app"
  java -Djarmode=tools -jar "$jar" extract --destination "$BENCH_ROOT/target/bench-app" >&2
  BENCH_JAR=$(ls "$BENCH_ROOT"/target/bench-app/crosspost-*.jar | head -1)
  export BENCH_JAR
}

bench_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_wait_ready PORT PID TIMEOUT_S: seconds (float) until readiness answers 200, or fails.
bench_wait_ready() {
  local port=$1 pid=$2 timeout=${3:-120} start now
  start=$(date +%s.%N)
  while true; do
    if curl -fs -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; then
      now=$(date +%s.%N); echo "$now - $start" | bc; return 0
    fi
    kill -0 "$pid" 2>/dev/null || { echo "app exited" >&2; return 1; }
    now=$(date +%s.%N)
    if (( $(echo "$now - $start > $timeout" | bc) )); then echo "timeout" >&2; return 1; fi
    sleep 0.05
  done
}

# bench_rss_mb PID DATA_DIR: RSS of the JVM plus every PostgreSQL process serving DATA_DIR, in MB.
bench_rss_mb() {
  local pid=$1 dir=$2 pm kb total=0
  kb=$(ps -o rss= -p "$pid" | tr -d ' '); total=$((total + ${kb:-0}))
  pm=$(head -1 "$dir/postgres/postmaster.pid" 2>/dev/null || true)
  if [ -n "$pm" ]; then
    for p in $pm $(pgrep -P "$pm"); do kb=$(ps -o rss= -p "$p" | tr -d ' '); total=$((total + ${kb:-0})); done
  fi
  echo $((total / 1024))
}

bench_median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# bench_api_key BASE: a new API key of the demo user of the app at BASE, for curl calls to /api (send it as X-API-Key)
bench_api_key() { PYTHONPATH="$BENCH_ROOT/bench" python3 -c 'import sys, benchlib; print(benchlib.api_key(sys.argv[1]))' "$1"; }

# bench_render_job BASE ASSET_ID BODY (BENCH_KEY: an API key): queues renditions (202 + Location), polls the job to its end and prints its
# result JSON; fails when the job failed
bench_render_job() {
  local base=$1 id=$2 body=$3 location job
  location=$(curl -fsS -o /dev/null -D - -X POST -H "X-API-Key: $BENCH_KEY" -H 'Content-Type: application/json' -d "$body" "$base/api/v1/assets/$id/renditions" \
    | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  while :; do
    job=$(curl -fsS -H "X-API-Key: $BENCH_KEY" "$base$location")
    case $(printf '%s' "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])') in
      done) printf '%s' "$job" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["result"]))'; return 0 ;;
      failed) echo "render job $location failed: $job" >&2; return 1 ;;
    esac
    sleep 0.5
  done
}
