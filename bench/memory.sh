#!/usr/bin/env bash
# Memory while a big video goes through the app: a generated ~1 GB video (MEMORY_MB) is uploaded in 64 MB chunks
# (resumable upload), rendered for TikTok and X, streamed back out of the store, and published to the in-process
# YouTube simulator (the adapter's resumable upload in 256 KiB-multiple chunks). The RSS of the app's JVM and
# its embedded PostgreSQL (not FFmpeg's) is sampled every 0.5 s; the growth is the peak minus the idle level
# measured just before the upload.
#
# Env: MEMORY_MB (1024) size of the generated source.
# Last line: RESULT rss_growth_mb=<peak - idle> idle_mb=<idle> peak_mb=<peak>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"

TARGET_MB=${MEMORY_MB:-1024}

bench_package
work=$(mktemp -d /tmp/bench-memory.XXXXXX)
APP_PID="" SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(bench_free_port)
java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" --server.port="$port" --crosspost.data-dir="$work/data" --crosspost.log.format=text \
  --crosspost.media.limits.max-video-size=4GB --crosspost.identity.rate-limits.enabled=false >"$work/app.log" 2>&1 &
APP_PID=$!
bench_wait_http "http://127.0.0.1:$port/actuator/health/readiness" "$APP_PID" 240
base="http://127.0.0.1:$port"
BENCH_KEY=$(bench_api_key "$base")
FF=$(command -v ffmpeg || echo "$work/data/tools/ffmpeg-amd64")

# lossless 1080p with temporal noise compresses badly, so a few seconds make a big file
bench_log "generating a ~${TARGET_MB} MB source"
frames=$(( TARGET_MB / 3 ))
"$FF" -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=s=1920x1080:r=30" -f lavfi -i "sine=r=48000" \
  -vf "noise=alls=30:allf=t" -frames:v "$frames" -shortest -c:v libx264 -preset ultrafast -qp 0 -pix_fmt yuv420p \
  -c:a aac -ar 48000 -movflags +faststart "$work/big.mp4"
size=$(stat -c %s "$work/big.mp4")
bench_log "source: $((size / 1024 / 1024)) MB"

sleep 5 # let start-up garbage settle
idle=$(bench_rss_mb "$APP_PID" "$work/data")
( while kill -0 "$APP_PID" 2>/dev/null; do bench_rss_mb "$APP_PID" "$work/data"; sleep 0.5; done ) >"$work/rss.txt" &
SAMPLER=$!

bench_log "uploading in chunks"
id=$(python3 - "$base" "$work/big.mp4" "$BENCH_KEY" <<'PY'
import http.client, json, os, sys, urllib.parse
base, path, key = sys.argv[1], sys.argv[2], sys.argv[3]
u = urllib.parse.urlparse(base)
size = os.path.getsize(path)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=600)
c.request("POST", "/api/v1/assets/uploads", json.dumps({"sizeBytes": size, "filename": "big.mp4", "contentType": "video/mp4"}),
          {"Content-Type": "application/json", "X-API-Key": key})
r = c.getresponse(); up = json.loads(r.read()); assert r.status == 201, up
chunk = 64 * 1024 * 1024
with open(path, "rb") as f:
    offset = 0
    while offset < size:
        data = f.read(chunk)
        c.request("PUT", "/api/v1/assets/uploads/" + up["id"], data,
                  {"Content-Range": f"bytes {offset}-{offset + len(data) - 1}/{size}", "Content-Type": "application/octet-stream",
                   "X-API-Key": key})
        r = c.getresponse(); body = json.loads(r.read()); assert r.status in (200, 201), body
        offset += len(data)
print(body["asset"]["id"])
PY
)
bench_log "rendering for tiktok and x"
bench_render_job "$base" "$id" '{"platforms":["tiktok","x"]}' >"$work/renditions.json"
bench_log "streaming the original back out"
got=$(curl -fsS --max-time 600 -H "X-API-Key: $BENCH_KEY" "$base/api/v1/assets/$id/content" | wc -c)
[ "$got" -eq "$size" ] || { echo "streamed $got bytes, expected $size" >&2; exit 1; }
bench_log "publishing the original to the YouTube simulator (resumable upload in chunks)"
PYTHONPATH="$BENCH_ROOT/bench" python3 - "$base" "$id" <<'PY'
import sys, time, benchlib
base, asset = sys.argv[1], sys.argv[2]
status, post = benchlib.call("POST", base + "/api/v1/posts", {"text": "memory bench\nthe whole original", "media": [asset],
                                                              "targets": [{"platform": "youtube"}]}, timeout=60)
assert status == 201, (status, post)
deadline = time.monotonic() + 1200
while True:
    _, view = benchlib.call("GET", base + "/api/v1/posts/" + post["id"])
    state = view["publications"][0]["state"]
    if state == "published":
        break
    if view["summary"]["settled"] or time.monotonic() > deadline:
        sys.exit(f"the YouTube publication ended {state}: {view['publications'][0]}")
    time.sleep(1)
PY

kill "$SAMPLER" 2>/dev/null; SAMPLER=""
peak=$(sort -n "$work/rss.txt" | tail -1)
bench_log "idle ${idle} MB, peak ${peak} MB"
echo "RESULT rss_growth_mb=$((peak - idle)) idle_mb=$idle peak_mb=$peak"
