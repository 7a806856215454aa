#!/usr/bin/env bash
# Time to readiness UP and idle RSS (JVM + embedded PostgreSQL) of the packaged app:
# 3 starts on a fresh data dir (initdb + migrations), then 3 on the existing one.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
command -v bc >/dev/null || { apt-get update -qq && apt-get install -y -qq bc >/dev/null; }
bench_package
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
JAVA_OPTS=(-XX:+UseSerialGC -Xmx512m) # the small-server flags README recommends
# JDK 25+: train an AOT cache once (README's production start); it loads and links classes ahead of time
if [ "$(java_major "$JAVA_HOME")" -ge 25 ]; then
  aot="$(dirname "$BENCH_JAR")/app.aot"
  java -XX:AOTCacheOutput="$aot" -Dspring.context.exit=onRefresh -jar "$BENCH_JAR" \
    --crosspost.data-dir="$work/training" --server.port=0 >"$work/training.log" 2>&1
  JAVA_OPTS+=(-XX:AOTCache="$aot")
  echo "using AOT cache $aot" >&2
fi

run_once() { # run_once DATA_DIR -> prints "seconds rss_mb"
  local dir=$1 port pid secs rss
  port=$(bench_free_port)
  java "${JAVA_OPTS[@]}" -jar "$BENCH_JAR" --server.port="$port" --crosspost.data-dir="$dir" >"$dir.log" 2>&1 &
  pid=$!
  secs=$(bench_wait_ready "$port" "$pid" 180)
  sleep 5 # let start-up garbage settle before sampling idle memory
  rss=$(bench_rss_mb "$pid" "$dir")
  kill -TERM "$pid"; wait "$pid" || true
  echo "$secs $rss"
}

fresh=(); warm=(); rss=()
for i in 1 2 3; do
  r=$(run_once "$work/fresh$i"); fresh+=("${r% *}"); rss+=("${r#* }")
  echo "fresh start $i: ${r% *} s, idle rss ${r#* } MB" >&2
done
mkdir -p "$work/warm"; run_once "$work/warm" >/dev/null
for i in 1 2 3; do
  r=$(run_once "$work/warm"); warm+=("${r% *}"); rss+=("${r#* }")
  echo "warm start $i: ${r% *} s, idle rss ${r#* } MB" >&2
done
f=$(printf '%s\n' "${fresh[@]}" | bench_median); w=$(printf '%s\n' "${warm[@]}" | bench_median)
m=$(printf '%s\n' "${rss[@]}" | bench_median)
printf 'RESULT startup_fresh_s=%.2f startup_warm_s=%.2f rss_mb=%d\n' "$f" "$w" "$m"
