#!/usr/bin/env bash
# The proof of the promise: every acknowledged publication lands exactly once, across SIGKILLs and platform faults.
#
# The six REAL platform simulators (/sandbox/x, /sandbox/instagram, /sandbox/youtube, /sandbox/tiktok,
# /sandbox/pinterest, /sandbox/bluesky; each platform's dedicated adapter talks to its own simulator) run in a
# separate long-lived process (same jar, own data dir and port, scheduler off), so killing the app under test never
# loses their records; their quotas are raised (quota-limit, TikTok's per-minute limits via request-limit-factor).
# Each item i is two posts: a video post (a tiny MP4 generated once with the bundled ffmpeg, made unique per item
# by an MP4 'free' box, because YouTube rejects the same bytes twice as a duplicate upload; uploaded as an asset
# before the chaos starts) to instagram, youtube, tiktok and pinterest, and a text post to x and bluesky (with a
# base-url set, Bluesky's adapter sends videos to the real video.bsky.app). CHAOS_POSTS items x 6 = >= 10,000
# publications, created by a thread pool that retries a create that failed because the app was being killed (same
# Idempotency-Key), while the app is SIGKILLed CHAOS_KILLS times at random moments (some during start-up, most
# while it runs; most while posts are still being created) and restarted on the same data dir. Every other kill is a
# host crash: the embedded PostgreSQL's processes are SIGKILLed with the JVM, so the engine steps committed without
# waiting for the WAL flush (PublicationStore.Commit.REDOABLE) can be lost and redone. The simulators
# inject every fault meanwhile (latency, 5xx, 429 with Retry-After, timeout after commit, reset, slow body). Then
# faults are cleared, the backlog drains, and the database is joined with the simulators' records.
#
# Duplicates are counted by a marker, not by client_ref: not every platform shows an idempotency key back (X and
# TikTok record none, YouTube a hashed tag, Instagram a hash of caption and video). Every post's text starts with
# "chaos-<seed>-<i>-v" (video post) or "chaos-<seed>-<i>-t" (text post), unique per post and on the first line, so
# it is in each record's text (YouTube records the title, the first line). Per platform, a marker recorded n > 1
# times is n - 1 duplicates; a marker no acknowledged post carries is a create made twice (also a duplicate). This
# is exact because every marker names one post and each platform takes one publication of it.
#
# Env: CHAOS_POSTS items (1667) CHAOS_KILLS (6) CHAOS_RATE posts/s offered (25) CHAOS_SEED (time)
#      CHAOS_DRAIN_TIMEOUT s (1800) CHAOS_KEEP=1 keeps the work dir (it is kept anyway when the script fails).
# Last line: RESULT posts=<publications> lost=<n> duplicates=<n> unresolved=<n> dlq=<n> kills=<n>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"
export PYTHONPATH="$BENCH_ROOT/bench${PYTHONPATH:+:$PYTHONPATH}"

POSTS=${CHAOS_POSTS:-1667}
KILLS=${CHAOS_KILLS:-6}
RATE=${CHAOS_RATE:-25}
SEED=${CHAOS_SEED:-$(date +%s)}
DRAIN_TIMEOUT=${CHAOS_DRAIN_TIMEOUT:-1800}
RANDOM=$SEED

bench_package
work=$(mktemp -d /tmp/bench-chaos.XXXXXX)
APP_PID="" SIM_PID="" LOAD_PID=""
cleanup() {
  local rc=$?
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null || true
  bench_stop "$APP_PID"
  bench_stop_postmaster "$work/app"
  bench_stop "$SIM_PID"
  bench_stop_postmaster "$work/sim"
  if [ -n "${CHAOS_KEEP:-}" ] || [ "$rc" -ne 0 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

sim_port=$(bench_free_port)
app_port=$(bench_free_port)
pg_port=$(bench_free_port) # fixed, so the history can be summarised with psql at the end
SIM="http://127.0.0.1:$sim_port"
APP="http://127.0.0.1:$app_port"
bench_log "seed=$SEED items=$POSTS (x 2 posts, 6 publications) kills=$KILLS rate=${RATE}/s work=$work"

# --- simulators: a separate process with quotas out of the way (nothing but the injected faults refuses a post)
mapfile -t sim_args < <(bench_sim_open_quota_args)
bench_start_sim "$sim_port" "$work/sim" "$work/sim.log" "${sim_args[@]}"
bench_log "simulators up on $sim_port (pid $SIM_PID)"

# --- the app under test: bench timings. step-timeout 2s < hangMs 5s, so timeout-after-commit is an unknown outcome
# that must be reconciled; dead executions are revived after 2s x 4 missed heartbeats.
APP_ARGS=(--server.port="$app_port" --crosspost.data-dir="$work/app" --crosspost.log.format=text
  --crosspost.intake.demo.enabled=false # its product videos would take the CPU and add posts no one acknowledged
  --crosspost.database.embedded-port="$pg_port"
  --db-scheduler.heartbeat-interval=2s --db-scheduler.missed-heartbeats-limit=4)
mapfile -t more < <(bench_app_base_url_args "$sim_port"; bench_app_open_quota_args)
APP_ARGS+=("${more[@]}")
for p in "${BENCH_PLATFORMS[@]}"; do
  APP_ARGS+=(--crosspost.platforms.$p.step-timeout=2s
    --crosspost.platforms.$p.retry.base-delay=200ms --crosspost.platforms.$p.retry.max-delay=2s
    --crosspost.platforms.$p.retry.reconcile-delay=1s --crosspost.platforms.$p.breaker.open-for=5s)
done
starts=0
start_app() {
  starts=$((starts + 1))
  echo "===== start $starts =====" >>"$work/app.log"
  java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" "${APP_ARGS[@]}" >>"$work/app.log" 2>&1 &
  APP_PID=$!
}
start_app
secs=$(bench_wait_ready "$app_port" "$APP_PID" 180)
bench_log "app up on $app_port (pid $APP_PID) after ${secs}s"

# --- one small valid MP4 (bundled ffmpeg unless one is on PATH), made unique per item and uploaded as assets
FF=$(command -v ffmpeg || true)
if [ -z "$FF" ]; then
  FF="$work/ffmpeg"
  unzip -p "$(ls ~/.m2/repository/ws/schild/jave-nativebin-linux64/*/jave-nativebin-linux64-*.jar | head -1)" \
    ws/schild/jave/nativebin/ffmpeg-amd64 >"$FF"
  chmod +x "$FF"
fi
# within every video platform's limits (preflight refuses the rest before any call): 9:16, 30 fps, 5 s, 360 px wide
"$FF" -hide_banner -loglevel error -y -f lavfi -i testsrc=size=360x640:rate=30 -t 5 -c:v libx264 -pix_fmt yuv420p \
  -movflags +faststart "$work/base.mp4"
python3 - "$APP" "$POSTS" "$SEED" "$work/base.mp4" "$work/assets.json" <<'PY'
import json, struct, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
import benchlib
base, items, seed, mp4, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], open(sys.argv[4], "rb").read(), sys.argv[5]
t0 = time.monotonic()

def upload(i):
    marker = f"chaos-{seed}-{i}".encode()
    body = mp4 + struct.pack(">I", 8 + len(marker)) + b"free" + marker  # a valid top-level box: distinct bytes
    req = urllib.request.Request(f"{base}/api/v1/assets?filename=chaos-{i}.mp4", data=body, method="POST",
                                 headers={"Content-Type": "video/mp4", "X-API-Key": benchlib.api_key(base)})
    for attempt in range(5):  # the same bytes again are the same asset (content-addressed), so a retry is safe
        try:
            with urllib.request.urlopen(req, timeout=300) as resp:
                return json.loads(resp.read())["id"]
        except OSError as e:
            benchlib.log(f"upload {i} failed ({e}); again")
    raise RuntimeError(f"upload {i} failed 5 times")

with ThreadPoolExecutor(4) as ex:
    ids = list(ex.map(upload, range(items)))
json.dump(ids, open(out, "w"))
benchlib.log(f"{len(set(ids))} distinct video assets uploaded in {time.monotonic() - t0:.0f}s")
PY

# --- faults on all six, modest rates; hangMs > step-timeout; 10 ms per byte makes a slow body take ~1.5-2.5 s
i=0
for p in "${BENCH_PLATFORMS[@]}"; do
  lat=$(( (i * 17 % 6 + 2) * 15 ))  # 30..105 ms, different per platform
  bench_set_faults "$sim_port" "{\"platform\":\"$p\",\"latencyMs\":$lat,\"errorRate\":0.03,\"rateLimitRate\":0.01,
    \"retryAfterSeconds\":1,\"timeoutAfterCommitRate\":0.02,\"hangMs\":5000,\"resetRate\":0.02,\"slowBodyRate\":0.02,
    \"slowBodyByteDelayMs\":10,\"seed\":$((SEED + i))}"
  i=$((i + 1))
done
bench_log "faults set: 3% 503, 1% 429 (Retry-After 1s), 2% timeout-after-commit (hang 5s), 2% reset, 2% slow body"

# --- creates: paced arrivals, every acknowledged publication recorded; retried while the app is down
python3 - "$APP" "$POSTS" "$RATE" "$SEED" "$work/acked.jsonl" "$work/load.json" "$work/assets.json" <<'PY' &
import json, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import benchlib
base, items, rate, seed, out, summary = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
assets = json.load(open(sys.argv[7]))
lock = threading.Lock()
f = open(out, "a")
t0 = time.monotonic()
VIDEO = ["instagram", "youtube", "tiktok", "pinterest"]
TEXT = ["x", "bluesky"]

def body(n):
    i, kind = divmod(n, 2)
    marker = f"chaos-{seed}-{i}-{'v' if kind == 0 else 't'}"
    if kind == 0:
        return marker, {"text": f"{marker} trail runner clip {i}\nshot for the chaos bench", "media": [assets[i]],
                        "targets": [{"platform": p} for p in VIDEO]}
    return marker, {"text": f"{marker} trail runner note {i}", "targets": [{"platform": p} for p in TEXT]}

def one(n):
    delay = t0 + n / rate - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    marker, b = body(n)
    r = benchlib.create_post(base, b)
    if r.post is not None:
        line = json.dumps({"n": n, "marker": marker, "post": r.post["id"],
                           "pubs": [[p["id"], p["idempotencyKey"], p["platform"]] for p in r.post["publications"]]})
        with lock:
            f.write(line + "\n")
            f.flush()
    return r

posts = 2 * items
with ThreadPoolExecutor(32) as ex:
    results = list(ex.map(one, range(posts)))
f.close()
s = {"posts": posts, "acked": sum(1 for r in results if r.post is not None),
     "refused_for_good": sum(1 for r in results if r.post is None),
     "retried_posts": sum(1 for r in results if r.attempts > 1),
     "ambiguous_failures": sum(r.ambiguous for r in results), "refused_connections": sum(r.refused for r in results),
     "seconds": round(time.monotonic() - t0, 1)}
json.dump(s, open(summary, "w"))
benchlib.log("creates done:", s)
PY
LOAD_PID=$!
touch "$work/acked.jsonl"

# --- SIGKILLs at random moments: 1 in 4 during start-up (2-9 s after launch), else 4-24 s after readiness;
#     odd kills take the JVM alone, even ones the JVM and PostgreSQL (a host crash)
kills=0 host_crashes=0
for ((k = 1; k <= KILLS; k++)); do
  if (( RANDOM % 4 == 0 )) && (( k > 1 )); then
    mode=starting; sleep "$(( RANDOM % 8 + 2 )).$(( RANDOM % 10 ))"
  else
    mode=running
    [ "$k" -gt 1 ] && bench_wait_ready "$app_port" "$APP_PID" 180 >/dev/null
    sleep "$(( RANDOM % 21 + 4 )).$(( RANDOM % 10 ))"
  fi
  creating=$(kill -0 "$LOAD_PID" 2>/dev/null && echo yes || echo no)
  # every other kill is a host crash: the database's processes die with the JVM, with the WAL they had not written
  if (( k % 2 == 0 )); then
    # how much WAL PostgreSQL had not yet handed to the kernel a moment before (what the crash can take with it)
    unwritten=$(psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -Atc \
      "SELECT pg_current_wal_insert_lsn() - pg_current_wal_lsn()" 2>/dev/null || echo "?")
    what="host, ${unwritten:-?} bytes of WAL unwritten just before"
    bench_crash_host "$APP_PID" "$work/app"; host_crashes=$((host_crashes + 1))
  else
    what=app; kill -KILL "$APP_PID"
  fi
  wait "$APP_PID" 2>/dev/null || true
  kills=$((kills + 1))
  bench_log "SIGKILL #$kills ($what, $mode; creating=$creating; acked so far $(wc -l <"$work/acked.jsonl") posts)"
  start_app
done
secs=$(bench_wait_ready "$app_port" "$APP_PID" 180)
bench_log "final start ready after ${secs}s ($kills kills: $((kills - host_crashes)) of the JVM alone, $host_crashes of JVM and PostgreSQL together); waiting for the creates to finish"
wait "$LOAD_PID"; LOAD_PID=""

# --- drain: faults off, wait until no publication is non-terminal
curl -fsS -o /dev/null -X DELETE "$SIM/sandbox/faults"
bench_log "faults cleared; draining"
python3 - "$APP" "$DRAIN_TIMEOUT" <<'PY'
import sys, time
import benchlib
base, timeout = sys.argv[1], float(sys.argv[2])
start = time.monotonic(); last = 0
while True:
    s = benchlib.stats(base)
    open_ = benchlib.non_terminal(s)
    if open_ == 0:
        benchlib.log(f"drained after {time.monotonic() - start:.0f}s:", {k: v for k, v in s.items() if v})
        break
    if time.monotonic() - last > 10:
        benchlib.log("open:", open_, {k: v for k, v in s.items() if v})
        last = time.monotonic()
    if time.monotonic() - start > timeout:
        benchlib.log(f"NOT drained after {timeout:.0f}s:", {k: v for k, v in s.items() if v})
        break
    time.sleep(2)
PY

# --- what the engine went through (from the history table; needs a psql client, skipped without one)
if command -v psql >/dev/null; then
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -AtF' ' -c "
    SELECT coalesce(outcome, '-'), coalesce(error_class, '-'), count(*) FROM publication_history
    WHERE outcome NOT IN ('created', 'moved', 'done') GROUP BY 1, 2 ORDER BY 3 DESC" 2>/dev/null \
    | awk '{ printf "%s%s/%s=%s", (NR > 1 ? " " : "history outcomes: "), $1, $2, $3 } END { print "" }' >&2 || true
fi

# --- verdict: join the API's acknowledgements, the database and the simulators' records (by marker, see above)
python3 - "$APP" "$SIM" "$work/acked.jsonl" "$work/load.json" "$kills" "$SEED" <<'PY'
import json, re, sys, urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
import benchlib
from benchlib import log
app, sim, acked_file, load_file, kills, seed = sys.argv[1:7]
acked = [json.loads(l) for l in open(acked_file) if l.strip()]
load = json.load(open(load_file))
pubs = {pid: (a["marker"], platform, a["post"]) for a in acked for pid, _, platform in a["pubs"]}
markers = {a["marker"] for a in acked}
marker_re = re.compile(r"chaos-" + re.escape(seed) + r"-\d+-[vt]\b")

records, sim_dups, quota429, injected429, unmarked = {}, {}, 0, 0, 0
for p in benchlib.PLATFORMS:
    r = benchlib.sim_records(sim, p)
    found = [marker_re.search(post.get("text") or "") for post in r["posts"]]
    unmarked += sum(1 for m in found if m is None)
    records[p] = Counter(m.group(0) for m in found if m)
    sim_dups[p] = r["duplicates"]; quota429 += r["quota429"]; injected429 += r["injected429"]

def fetch(post_id):
    status, body = benchlib.call("GET", f"{app}/api/v1/posts/{post_id}", timeout=60)
    return post_id, status, body
with ThreadPoolExecutor(8) as ex:
    posts = list(ex.map(fetch, [a["post"] for a in acked]))
state = {}
missing_posts = 0
for post_id, status, body in posts:
    if status != 200:
        missing_posts += 1
        continue
    for p in body["publications"]:
        state[p["id"]] = p["state"]

lost, published_unrecorded, landed_but_not_published = [], [], []
by_state, by_platform = Counter(), Counter()
for pid, (marker, platform, post) in pubs.items():
    s = state.get(pid)
    by_state[s] += 1
    by_platform[platform] += 1
    n = records[platform][marker]
    if s not in ("published", "failed", "dead"):
        lost.append((pid, s))
    elif s == "published" and n == 0:
        published_unrecorded.append(pid); lost.append((pid, "published-but-not-on-platform"))
    if s in ("failed", "dead") and n > 0:
        landed_but_not_published.append((pid, platform, s))

dups = {p: sum(n - 1 for n in records[p].values() if n > 1) for p in benchlib.PLATFORMS}
# a platform post of a marker no acknowledged post carries is a user-visible duplicate too (a create made twice)
orphans = {p: sum(n for m, n in records[p].items() if m not in markers) for p in benchlib.PLATFORMS}

counts = benchlib.stats(app)
unresolved = benchlib.non_terminal(counts)
dead_letters, cursor, no_reason = [], None, []
while True:
    url = f"{app}/api/v1/dead-letters?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
    page = benchlib.get(url)
    dead_letters += page["data"]
    cursor = page.get("nextCursor")
    if not cursor:
        break
for d in dead_letters:
    if not (d.get("deadReason") or "").strip():
        no_reason.append(d["id"])
reasons = Counter((d.get("deadReason") or "")[:60] for d in dead_letters)

db_total = sum(counts.values())
log("creates:", load)
log(f"acknowledged: {len(acked)} posts, {len(pubs)} publications {dict(by_platform)}; database holds {db_total} "
    f"publications ({db_total - len(pubs)} from creates whose answer was lost); their platform posts: {orphans}")
log("acknowledged publications by state:", dict(by_state))
log("final stats:", {k: v for k, v in counts.items() if v})
log(f"records by marker: duplicates {dups}; the simulators' own duplicate counts {sim_dups}; records without a "
    f"marker: {unmarked}; quota429={quota429} injected429={injected429}")
log(f"published but absent on platform: {len(published_unrecorded)}; failed/dead but present on platform: "
    f"{len(landed_but_not_published)} {landed_but_not_published[:5]}")
log(f"dead letters listed: {len(dead_letters)} (stats dead={counts.get('dead', 0)}); without deadReason: {len(no_reason)}; "
    f"reasons: {dict(reasons)}")
if missing_posts:
    log(f"acknowledged posts the API no longer knows: {missing_posts}")
if lost:
    log("lost (first 10):", lost[:10])
if no_reason:
    log("DEAD LETTERS WITHOUT deadReason:", no_reason[:10])
print(f"RESULT posts={len(pubs)} lost={len(lost)} duplicates={sum(dups.values()) + sum(orphans.values())} "
      f"unresolved={unresolved} dlq={counts.get('dead', 0)} kills={kills}")
PY
