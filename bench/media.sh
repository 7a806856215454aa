#!/usr/bin/env bash
# Renditions for a post to all six platforms, three ways side by side in one run, compared by FFmpeg CPU time
# (user + system of the ffmpeg processes; wall time on a shared 2-core machine is too noisy):
#   (a) the pipeline: the packaged app's POST /api/v1/assets/{id}/renditions (planned, grouped, one FFmpeg run with
#       split, thumbnails from the same decode), measured as the CPU its FFmpeg children used (the JVM's cutime/cstime)
#       across upload + render;
#   (b) naive: one full transcode per platform at its preferred frame and one run per thumbnail (small/medium/large);
#   (c) hand-written: the FFmpeg command a person would write for exactly the distinct outputs the pipeline chose.
# Then (a) and (b) again for a source that already meets the 9:16 spec, posted to the five platforms that take 9:16.
#
# (a) and (c) run alternately MEDIA_REPEATS times (each (a) on a fresh upload, so nothing is reused) and their medians
# are compared, so that a change in the machine's load hits both alike.
# Env: MEDIA_SECONDS (60) source length; MEDIA_PRESET (veryfast) x264 preset everywhere; MEDIA_REPEATS (3).
# Last line: RESULT plan_vs_naive=<b/a> overhead_vs_hand=<a/c> conformant_vs_naive=<b'/a'>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"

SECS=${MEDIA_SECONDS:-60}
PRESET=${MEDIA_PRESET:-veryfast}
REPEATS=${MEDIA_REPEATS:-3}

bench_package
work=$(mktemp -d /tmp/bench-media.XXXXXX)
APP_PID=""
cleanup() { [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port=$(bench_free_port)
java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" --server.port="$port" --crosspost.data-dir="$work/data" --crosspost.log.format=text \
  --crosspost.media.limits.max-video-size=4GB --crosspost.media.ffmpeg.preset="$PRESET" --crosspost.media.ffmpeg.concurrency=1 \
  --crosspost.identity.rate-limits.enabled=false >"$work/app.log" 2>&1 &
APP_PID=$!
bench_wait_http "http://127.0.0.1:$port/actuator/health/readiness" "$APP_PID" 240
base="http://127.0.0.1:$port"
BENCH_KEY=$(bench_api_key "$base")
FF=$(command -v ffmpeg || echo "$work/data/tools/ffmpeg-amd64")
bench_log "ffmpeg: $FF; source ${SECS}s; preset $PRESET"

# cpu_of CMD...: runs CMD, prints the CPU seconds (user+sys) of it and its children
cpu_of() { python3 - "$@" <<'PY'
import resource, subprocess, sys
before = resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime):.2f}")
PY
}
# children CPU seconds the app has reaped so far (its ffmpeg runs)
app_children_cpu() { python3 -c "
import os,sys
f=open('/proc/$APP_PID/stat').read().rsplit(')',1)[1].split()
print((int(f[13])+int(f[14]))/os.sysconf('SC_CLK_TCK'))"; }

ffq() { "$FF" -hide_banner -loglevel error -nostdin -y "$@"; }
X264=(-c:v libx264 -profile:v high -pix_fmt yuv420p -preset "$PRESET" -crf 23)
AAC=(-c:a aac -ar 48000 -b:a 128k -movflags +faststart)

bench_log "generating sources"
ffq -f lavfi -i "testsrc2=s=1920x1080:r=30:d=$SECS" -f lavfi -i "sine=f=440:r=48000:d=$SECS" \
  -c:v libx264 -profile:v high -pix_fmt yuv420p -preset "$PRESET" -crf 23 "${AAC[@]}" "$work/wide.mp4"
ffq -f lavfi -i "testsrc2=s=1080x1920:r=30:d=$SECS" -f lavfi -i "sine=f=440:r=48000:d=$SECS" \
  -c:v libx264 -profile:v high -pix_fmt yuv420p -preset "$PRESET" -crf 23 "${AAC[@]}" "$work/tall.mp4"

# pipeline SOURCE PLATFORMS_JSON -> prints "cpu_seconds specs"
pipeline() {
  local src=$1 platforms=$2 before after id specs
  before=$(app_children_cpu)
  id=$(curl -fsS -X POST -H "X-API-Key: $BENCH_KEY" -H 'Content-Type: video/mp4' --data-binary @"$src" "$base/api/v1/assets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  specs=$(bench_render_job "$base" "$id" "{\"platforms\":$platforms}" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin)["platforms"]; bad=[p for p,r in d.items() if r["violations"]]; assert not bad, bad; print(",".join(sorted({r["spec"]+("/copy" if r["remuxed"] else "") for r in d.values()})))')
  after=$(app_children_cpu)
  echo "$(echo "$after - $before" | bc) $specs"
}

# the naive way: one full transcode per platform at its preferred frame, one run per thumbnail
blur() { # blur W H: blur-fill filter, as the pipeline frames a source of another aspect (background at 1/8, even)
  local bw=$(( $1 / 8 - ($1 / 8) % 2 )) bh=$(( $2 / 8 - ($2 / 8) % 2 ))
  echo "split[a][b];[a]scale=$bw:$bh:force_original_aspect_ratio=increase,crop=$bw:$bh,boxblur=4:1,scale=$1:$2,setsar=1[bg];[b]scale=$1:$2:force_original_aspect_ratio=decrease,setsar=1[fg];[bg][fg]overlay=(W-w)/2:(H-h)/2,format=yuv420p"
}
frame_filter() { # frame_filter SRC_W SRC_H W H
  if [ $(( $1 * $4 )) -eq $(( $2 * $3 )) ]; then echo "fps=30,scale=$3:$4,setsar=1,format=yuv420p"; else echo "fps=30,$(blur "$3" "$4")"; fi
}
naive_script() { # naive_script SRC SRC_W SRC_H PLATFORM:WxH...
  local src=$1 sw=$2 sh=$3; shift 3
  echo "set -e"
  for pf in "$@"; do
    local p=${pf%%:*} wh=${pf#*:}; local w=${wh%x*} h=${wh#*x}
    echo "'$FF' -hide_banner -loglevel error -nostdin -y -i '$src' -filter_complex \"[0:v]$(frame_filter "$sw" "$sh" "$w" "$h")[v]\" -map '[v]' -map 0:a ${X264[*]} ${AAC[*]} '$work/naive-$p.mp4'"
  done
  for t in 320 640 1280; do
    echo "'$FF' -hide_banner -loglevel error -nostdin -y -ss 1 -i '$src' -frames:v 1 -vf scale=$t:-2 -q:v 4 '$work/naive-thumb-$t.jpg'"
  done
}

bench_log "(b) naive, 16:9 source, six platforms"
naive_script "$work/wide.mp4" 1920 1080 tiktok:1080x1920 instagram:1080x1920 youtube:1920x1080 pinterest:1080x1920 x:1280x720 bluesky:1920x1080 >"$work/naive.sh"
b_cpu=$(cpu_of bash "$work/naive.sh")
bench_log "    ${b_cpu}s CPU"

# the 1280x720 output's bitrate cap, from the tightest size limit of its group (bluesky, 100 MB), as the pipeline does
x720=$(( 104857600 * 8 * 9 / 10 / SECS - 128000 )); [ "$x720" -gt 25000000 ] && x720=25000000
hand=("$FF" -hide_banner -loglevel error -nostdin -y -i "$work/wide.mp4" -filter_complex \
  "[0:v:0]split=3[s0][s1][s2];[s0]fps=30,$(blur 1080 1920)[o0];[s1]fps=30,scale=1280:720,setsar=1,format=yuv420p[o1];[s2]select='gte(t,1)',trim=end_frame=1,split=4[tp][ts][tm][tl];[ts]scale=320:-2[a];[tm]scale=640:-2[b];[tl]scale=1280:-2[c]" \
  -map '[o0]' -map 0:a "${X264[@]}" -maxrate 25000000 -bufsize 50000000 "${AAC[@]}" "$work/hand-0.mp4" \
  -map '[o1]' -map 0:a "${X264[@]}" -maxrate "$x720" -bufsize $((x720 * 2)) "${AAC[@]}" "$work/hand-1.mp4" \
  -map '[tp]' -frames:v 1 -q:v 3 "$work/hand-poster.jpg" -map '[a]' -frames:v 1 -q:v 4 "$work/hand-s.jpg" \
  -map '[b]' -frames:v 1 -q:v 4 "$work/hand-m.jpg" -map '[c]' -frames:v 1 -q:v 4 "$work/hand-l.jpg")

a_runs=(); c_runs=()
for i in $(seq "$REPEATS"); do
  bench_log "(a) pipeline, 16:9 source, six platforms, run $i"
  read -r cpu a_specs < <(pipeline "$work/wide.mp4" '["tiktok","instagram","youtube","pinterest","x","bluesky"]')
  a_runs+=("$cpu"); bench_log "    ${cpu}s CPU, outputs: $a_specs"
  [ "$a_specs" = "1080x1920@30,1280x720@30" ] || bench_log "WARNING: the pipeline chose $a_specs; (c) is written for 1080x1920@30,1280x720@30"
  bench_log "(c) hand-written, the same two outputs and thumbnails from one decode, run $i"
  cpu=$(cpu_of "${hand[@]}"); c_runs+=("$cpu"); bench_log "    ${cpu}s CPU"
done
a_cpu=$(printf '%s\n' "${a_runs[@]}" | bench_median)
c_cpu=$(printf '%s\n' "${c_runs[@]}" | bench_median)
bench_log "medians: (a) ${a_cpu}s, (c) ${c_cpu}s"

bench_log "(a') pipeline, conformant 9:16 source, five 9:16 platforms"
read -r a2_cpu a2_specs < <(pipeline "$work/tall.mp4" '["tiktok","instagram","youtube","pinterest","bluesky"]')
bench_log "    ${a2_cpu}s CPU, outputs: $a2_specs"
bench_log "(b') naive, conformant 9:16 source, five platforms"
naive_script "$work/tall.mp4" 1080 1920 tiktok:1080x1920 instagram:1080x1920 youtube:1080x1920 pinterest:1080x1920 bluesky:1080x1920 >"$work/naive2.sh"
b2_cpu=$(cpu_of bash "$work/naive2.sh")
bench_log "    ${b2_cpu}s CPU"

ratio() { python3 -c "print(f'{$1 / max($2, 0.01):.2f}')"; }
echo "RESULT plan_vs_naive=$(ratio "$b_cpu" "$a_cpu") overhead_vs_hand=$(ratio "$a_cpu" "$c_cpu") conformant_vs_naive=$(ratio "$b2_cpu" "$a2_cpu")"
