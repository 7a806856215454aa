#!/usr/bin/env bash
# Two figures of the fan-out, against simulators in a separate process:
#
# (a) critical-path efficiency. Each platform gets a different seeded simulator latency in 1-8 s; a text post to
#     all six takes one POST per platform, so its critical path is the slowest platform's latency. One post at a
#     time, nothing else running; efficiency = slowest latency / (post's settledAt - createdAt), both server
#     timestamps. One warm-up post, then FANOUT_POSTS measured; the median is reported.
# (b) quota utilisation. gen-f gets a fixed-window quota of FANOUT_QUOTA posts per FANOUT_WINDOW s in the
#     simulator and the same budget in the app (a token bucket). FANOUT_QUOTA x (FANOUT_WINDOWS + 1) posts are
#     pushed at once to a fresh account, so there is always a backlog. Over the FANOUT_WINDOWS windows after the
#     push, an ideal client delivers FANOUT_QUOTA per window; quota_use = posts the simulator accepted in that
#     span / (FANOUT_QUOTA x FANOUT_WINDOWS); quota_429 = the simulator's quota429 count (real, not injected, 429s).
#
# Env: FANOUT_POSTS (7) FANOUT_SEED (time) FANOUT_QUOTA (30) FANOUT_WINDOW seconds (20) FANOUT_WINDOWS (3)
#      FANOUT_APP_ARGS: extra arguments for the app under test (experiments, e.g. --db-scheduler.polling-interval=100ms)
# Last line: RESULT efficiency=<median> quota_use=<ratio> quota_429=<n>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"
BENCH_TARGETS=("${BENCH_GENERIC[@]}") # it measures the engine: made-up platforms on the generic simulator and adapter
export PYTHONPATH="$BENCH_ROOT/bench${PYTHONPATH:+:$PYTHONPATH}"

POSTS=${FANOUT_POSTS:-7}
SEED=${FANOUT_SEED:-$(date +%s)}
QUOTA=${FANOUT_QUOTA:-30}
WINDOW=${FANOUT_WINDOW:-20}
WINDOWS=${FANOUT_WINDOWS:-3}

bench_package
work=$(mktemp -d /tmp/bench-fanout.XXXXXX)
APP_PID="" SIM_PID=""
cleanup() {
  local rc=$?
  bench_stop "$APP_PID"
  bench_stop "$SIM_PID"
  if [ -n "${FANOUT_KEEP:-}" ] || [ "$rc" -ne 0 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

sim_port=$(bench_free_port)
app_port=$(bench_free_port)
SIM="http://127.0.0.1:$sim_port"
APP="http://127.0.0.1:$app_port"
bench_log "seed=$SEED posts=$POSTS quota=$QUOTA/${WINDOW}s windows=$WINDOWS work=$work"

mapfile -t sim_args < <(bench_sim_open_quota_args gen-f)
bench_start_sim "$sim_port" "$work/sim" "$work/sim.log" "${sim_args[@]}" \
  --crosspost.sandbox.platforms.gen-f.quota-limit="$QUOTA" --crosspost.sandbox.platforms.gen-f.quota-window="${WINDOW}s"
bench_log "simulators up on $sim_port (pid $SIM_PID)"

mapfile -t app_args < <(bench_app_base_url_args "$sim_port"; bench_app_open_quota_args gen-f)
# default step-timeout (30 s) is above the 8 s latency; gen-f gets exactly the simulator's budget
java "${BENCH_JAVA[@]}" -jar "$BENCH_JAR" --server.port="$app_port" --crosspost.data-dir="$work/app" \
  --crosspost.log.format=text "${app_args[@]}" \
  --crosspost.platforms.gen-f.quota.limit="$QUOTA" --crosspost.platforms.gen-f.quota.period="${WINDOW}s" \
  ${FANOUT_APP_ARGS:-} >"$work/app.log" 2>&1 &
APP_PID=$!
secs=$(bench_wait_ready "$app_port" "$APP_PID" 180)
bench_log "app up on $app_port (pid $APP_PID) after ${secs}s"

python3 - "$APP" "$SIM" "$POSTS" "$SEED" "$QUOTA" "$WINDOW" "$WINDOWS" <<'PY'
import random, statistics, sys, time
from concurrent.futures import ThreadPoolExecutor
import benchlib
from benchlib import log, parse_instant
app, sim, posts, seed, quota, window, windows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])

# ---------- (a) critical path
rng = random.Random(seed)
# six distinct latencies spanning 1-8 s, dealt to the platforms by the seed: the critical path is always 8 s
values = [1000, 2400, 3800, 5200, 6600, 8000]
rng.shuffle(values)
latency = dict(zip(benchlib.GENERIC, values))
for p, ms in latency.items():
    status, _ = benchlib.call("POST", sim + "/sandbox/faults", {"platform": p, "latencyMs": ms, "seed": seed})
    assert status == 200, status
slowest = max(latency.values()) / 1000
log("simulator latencies (ms):", latency, "critical path:", slowest, "s")
targets = [{"platform": p} for p in benchlib.GENERIC]

def one_post(label):
    status, post = benchlib.call("POST", app + "/api/v1/posts", {"text": f"fanout {label}", "targets": targets})
    assert status == 201, (status, post)
    deadline = time.monotonic() + 120
    while True:
        view = benchlib.get(f"{app}/api/v1/posts/{post['id']}")
        if view["settledAt"]:
            break
        assert time.monotonic() < deadline, view
        time.sleep(0.05)
    created, settled = parse_instant(view["createdAt"]), parse_instant(view["settledAt"])
    per = {p["platform"]: round(parse_instant(p["updatedAt"]) - created - latency[p["platform"]] / 1000, 3)
           for p in view["publications"]}
    return settled - created, view["summary"]["outcome"], per

took, outcome, per = one_post("warm-up")
log(f"warm-up: {took:.3f}s ({outcome}); overhead past each platform's latency (s): {per}")
effs = []
for i in range(posts):
    took, outcome, per = one_post(i)
    assert outcome == "published", outcome
    effs.append(slowest / took)
    log(f"post {i}: create->settled {took:.3f}s, efficiency {slowest / took:.4f}; overhead past latency (s): {per}")
efficiency = statistics.median(effs)
# a post whose every publication ends ~1 s late did not start at once: the scheduler's immediate check ran before
# the create's transaction committed and the publications waited for the next poll (polling-interval 1s)
late = sum(1 for e in effs if slowest / e - slowest > 0.5)
log(f"efficiency median {efficiency:.4f}, mean {statistics.mean(effs):.4f}, min {min(effs):.4f}; "
    f"posts that started a poll late: {late} of {len(effs)}")

# ---------- (b) quota utilisation
status, _ = benchlib.call("DELETE", sim + "/sandbox/faults")
assert status == 204, status
account = f"quota-bench-{seed}"
push = quota * (windows + 1)
body = {"text": "quota", "targets": [{"platform": "gen-f", "account": account}]}
t_push = time.time()
with ThreadPoolExecutor(8) as ex:
    created = list(ex.map(lambda i: benchlib.call("POST", app + "/api/v1/posts", dict(body, text=f"quota {i}"))[0],
                          range(push)))
assert all(s == 201 for s in created), created
log(f"pushed {push} posts to gen-f/{account} in {time.time() - t_push:.2f}s; observing {windows} x {window:.0f}s")
horizon = windows * window
time.sleep(max(0.0, t_push + horizon + 2 - time.time()))
rec = benchlib.sim_records(sim, "gen-f")
times = sorted(parse_instant(p["created_at"]) for p in rec["posts"] if p["account"] == account)
delivered = sum(1 for t in times if t < t_push + horizon)
allowed = quota * windows
# rebuild the simulator's fixed windows (each starts at its first post) to show where time was lost
w_start, w_count, lags, per_window = None, 0, [], []
for t in times:
    if w_start is None or t >= w_start + window:
        if w_start is not None:
            per_window.append(w_count); lags.append(round(t - (w_start + window), 3))
        w_start, w_count = t, 0
    w_count += 1
per_window.append(w_count)
log(f"first accepted {times[0] - t_push:.3f}s after the push; posts per simulator window: {per_window}; "
    f"gap between a window's end and the next accepted post (s): {lags}")
if lags:
    cycle = window + statistics.mean(lags)
    log(f"window cycle {cycle:.2f}s for a {window:.0f}s window: sustained use {window / cycle:.3f} of the quota")
log(f"delivered {delivered} in the {horizon:.0f}s after the push; the quota allowed {allowed}; "
    f"simulator quota429={rec['quota429']} injected429={rec['injected429']}")
stats = benchlib.stats(app)
log("publication states now:", {k: v for k, v in stats.items() if v})
print(f"RESULT efficiency={efficiency:.4f} quota_use={delivered / allowed:.4f} quota_429={rec['quota429']}")
PY
