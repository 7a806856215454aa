#!/usr/bin/env bash
# Engine throughput against raw db-scheduler, side by side in one run on the same kind of database.
#
# raw:    src/test/java/dev/crosspost/bench/RawSchedulerBench.java - N no-op one-time executions due now, scheduled
#         in one batch, then a scheduler with the app's settings (20 threads, lock-and-fetch, priority, immediate
#         execution, 1 s polling) on embedded PostgreSQL 18 with the app's server settings and migrations, through a
#         HikariCP pool of the app's size. Timed from the scheduler's wake-up until every row is gone.
# engine: the packaged app with its own zero-latency sandbox simulators (quotas raised on both sides). ENGINE_POSTS
#         posts x 6 targets (six made-up platforms on the generic simulator and adapter, text posts: one call each)
#         are created by ENGINE_CLIENTS closed-loop clients; timed from the first create until the stats say every
#         publication is published. The create rate is reported too, so a create-bound run shows as one.
# calls alone: src/test/java/dev/crosspost/bench/AdapterCallBench.java - after the engine phases, the generic adapter's
#         publish call against the same app's simulators from as many threads, in a JVM of its own with no engine
#         around it. Its CPU per call (client plus app) is a floor under a publication's cost, printed beside it.
# warm-up: both sides first run ENGINE_WARMUP posts' worth (default half of ENGINE_POSTS) untimed, in the same JVM,
#         so the timed work runs compiled code: cold, the JIT compiler took about half of the app's CPU.
# Both JVMs get the same flags (BENCH_JAVA_OPTS). Where the engine's time goes is printed to stderr: Prometheus
# step/pool/HTTP timers, PostgreSQL transactions and row changes per publication, CPU split JVM (JIT, GC, the
# rest) vs PostgreSQL (client backends, its own workers).
#
# Env: ENGINE_POSTS (3334 -> 20,004 publications) ENGINE_CLIENTS (8) ENGINE_POOL (20, the app's default)
#      ENGINE_WARMUP (ENGINE_POSTS / 2; 0 measures both sides cold)
#      ENGINE_JFR=1 records a JFR profile of the app during both timed phases and summarises it (bench/jfr_summary.py).
#      ENGINE_APP_ARGS, ENGINE_APP_THREADS: experiments on the app side only (the raw side keeps the app's defaults).
#      ENGINE_ACCOUNTS (1): spread posts over this many accounts per target (each account has its own quota bucket row).
#      ENGINE_JAR: run this extracted app jar (e.g. a baseline build) instead of packaging the worktree.
# Last line: RESULT engine_per_s=<n> raw_per_s=<n> overhead_ratio=<raw/engine> calls_alone_per_s=<n> floor_ratio=<r>
#   floor_ratio: the overhead ratio of an engine that did nothing but one raw execution and the platform call per
#   publication (their CPU added, on 2 cores): the least this machine allows for any engine built that way
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$BENCH_ROOT/bench/apps.sh"
BENCH_TARGETS=("${BENCH_GENERIC[@]}") # it measures the engine: made-up platforms on the generic simulator and adapter
export PYTHONPATH="$BENCH_ROOT/bench${PYTHONPATH:+:$PYTHONPATH}"

POSTS=${ENGINE_POSTS:-3334}
CLIENTS=${ENGINE_CLIENTS:-8}
POOL=${ENGINE_POOL:-20}
THREADS=20 # application.yaml's db-scheduler.threads, for both sides
APP_THREADS=${ENGINE_APP_THREADS:-$THREADS} # experiments only: the app's scheduler threads
POLL_MS=1000 # application.yaml's db-scheduler.polling-interval
N=$((POSTS * 6))
WARM=${ENGINE_WARMUP:-$((POSTS / 2))}

# ENGINE_JAR: an app jar extracted before (e.g. a baseline build), instead of packaging the worktree
if [ -n "${ENGINE_JAR:-}" ]; then BENCH_JAR=$ENGINE_JAR; else bench_package; fi
(cd "$BENCH_ROOT" && ./mvnw -q -B -ntp dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt) >&2
CP="$BENCH_ROOT/target/classes:$BENCH_ROOT/target/test-classes:$(cat "$BENCH_ROOT/target/bench-classpath.txt")"

work=$(mktemp -d /tmp/bench-engine.XXXXXX)
APP_PID=""
cleanup() {
  local rc=$?
  bench_stop "$APP_PID"
  bench_stop_postmaster "$work/app"
  if [ -n "${ENGINE_KEEP:-}" ] || [ "$rc" -ne 0 ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# ---------- raw db-scheduler
bench_log "raw db-scheduler: $N executions after $((WARM * 6)) untimed, $THREADS threads, pool $POOL, polling ${POLL_MS}ms"
raw_line=$(java "${BENCH_JAVA[@]}" -cp "$CP" dev.crosspost.bench.RawSchedulerBench "$N" "$THREADS" "$POOL" "$POLL_MS" "$work/raw" "$((WARM * 6))" | tail -1)
bench_log "$raw_line"
raw_per_s=$(sed -nE 's/.*per_s=([0-9.]+).*/\1/p' <<<"$raw_line")
raw_cpu_ms=$(sed -nE 's/.*cpu_ms=([0-9.]+).*/\1/p' <<<"$raw_line")
[ -n "$raw_per_s" ] && [ -n "$raw_cpu_ms" ] || { echo "raw bench printed no figure" >&2; exit 1; }
rm -rf "$work/raw"

# ---------- engine
app_port=$(bench_free_port)
pg_port=$(bench_free_port)
APP="http://127.0.0.1:$app_port"
args=(--server.port="$app_port" --crosspost.data-dir="$work/app" --crosspost.log.format=text
  --crosspost.database.embedded-port="$pg_port" --crosspost.database.pool-size="$POOL" --db-scheduler.threads="$APP_THREADS"
  --crosspost.intake.demo.enabled=false # its product videos (FFmpeg, about 45 s of both cores) would share the measured time
  ${ENGINE_APP_ARGS:-})
mapfile -t more < <(bench_app_open_quota_args; bench_sim_open_quota_args)
args+=("${more[@]}")
# a profiled run keeps whole stacks (JFR keeps 64 frames by default: most request stacks are deeper)
java "${BENCH_JAVA[@]}" ${ENGINE_JFR:+-XX:FlightRecorderOptions:stackdepth=512} -jar "$BENCH_JAR" "${args[@]}" >"$work/app.log" 2>&1 &
APP_PID=$!
secs=$(bench_wait_ready "$app_port" "$APP_PID" 180)
bench_log "app up on $app_port (pid $APP_PID) after ${secs}s; embedded PostgreSQL on $pg_port"

pgq() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -AtF' ' -c "$1" 2>/dev/null || true; }
pg_counts() {
  command -v psql >/dev/null || return 0
  pgq "SELECT 'db', xact_commit, tup_inserted, tup_updated, tup_deleted, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'postgres'
       UNION ALL SELECT relname, 0, n_tup_ins, n_tup_upd, n_tup_del, 0 FROM pg_stat_user_tables"
}
pg_counts >"$work/pg.before"

export ENGINE_CALL_CMD
ENGINE_CALL_CMD=$(printf '%q ' java "${BENCH_JAVA[@]}" -cp "$CP" dev.crosspost.bench.AdapterCallBench)
python3 - "$APP" "$POSTS" "$CLIENTS" "$work/result.json" "$APP_PID" "$work/app/postgres/postmaster.pid" "$APP_THREADS" "$pg_port" "${ENGINE_ACCOUNTS:-1}" "$WARM" "${ENGINE_JFR:+$JAVA_HOME/bin/jcmd}" <<'PY'
import datetime, json, os, shlex, shutil, subprocess, sys, time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
import benchlib
from benchlib import log, prom_sum
app, posts, clients, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cpu = lambda: benchlib.proc_cpu(int(sys.argv[5]), sys.argv[6])
threads, pg_port = int(sys.argv[7]), sys.argv[8]

def pg_sampler():
    """What PostgreSQL's backends are doing, sampled every 100 ms by one psql process (pg_stat_statements is not
    loaded in the app's embedded server). None without a psql client."""
    if not shutil.which("psql"):
        return None
    q = ("SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'), regexp_replace(left(query, 70), '\\s+', ' ', 'g') "
         "FROM pg_stat_activity WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
    # \\watch needs the query in the buffer, so both go through stdin; SIGINT ends the watch and psql flushes
    proc = subprocess.Popen(["psql", "-h", "127.0.0.1", "-p", pg_port, "-U", "postgres", "-d", "postgres", "-At", "-F", "|"],
                            stdin=subprocess.PIPE, stdout=open(out + ".pgsamples", "w"), stderr=subprocess.DEVNULL, text=True)
    proc.stdin.write(q + ";\n\\watch 0.1\n")
    proc.stdin.close()
    return proc

def pg_sample_report(proc):
    if proc is None:
        return
    import signal
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    rows = [l.split("|", 2) for l in open(out + ".pgsamples") if l.count("|") >= 2]
    if not rows:
        return
    waits = Counter((w[0] + ":" + w[1]) if w[0] != "CPU" else "on CPU (no wait event)" for w in rows)
    queries = Counter(w[2] for w in rows)
    log(f"  PostgreSQL active backends, {len(rows)} samples: " + ", ".join(f"{k} {100 * v / len(rows):.0f}%" for k, v in waits.most_common(6)))
    for q, v in queries.most_common(8):
        log(f"    {100 * v / len(rows):4.1f}%  {q.strip()}")
accounts = int(sys.argv[9])
warm = int(sys.argv[10]) * 6
# one account per platform (the sandbox default) unless ENGINE_ACCOUNTS spreads the posts over more
targets = lambda i: [{"platform": p} if accounts == 1 else {"platform": p, "account": f"acct-{i % accounts}"} for p in benchlib.GENERIC]
total = posts * 6

def create(i, extra):
    status, body = benchlib.call("POST", app + "/api/v1/posts", dict({"text": f"engine post {i}{' (ahead)' if extra else ''}", "targets": targets(i)}, **extra),
                                 timeout=60)
    if status != 201:
        raise RuntimeError(f"create {i}: {status} {body}")

def create_all(ex, extra, count=posts):
    t = time.monotonic()
    for f in [ex.submit(create, i, extra) for i in range(count)]:
        f.result()
    return time.monotonic() - t

def wait_published(target, t0, label):
    """Polls the stats until `target` publications are published: every 2 s, every 0.1 s once the rest should take
    less than 3 s (the stats query scans every publication, so polling fast all the time would load the database)."""
    last_log, prev = 0, None
    while True:
        s = benchlib.stats(app)
        now = time.monotonic()
        n = s.get("published", 0)
        if n >= target:
            return now
        if s.get("dead") or s.get("failed"):
            raise RuntimeError(f"publications ended badly: {s}")
        if now - last_log > 10:
            log(f"{label}: t={now - t0:.0f}s " + " ".join(f"{k}={v}" for k, v in s.items() if v))
            last_log = now
        if now - t0 > 600:
            raise RuntimeError(f"not all published after 600s: {s}")
        rate = (n - prev[1]) / (now - prev[0]) if prev and now > prev[0] else 0
        prev = (now, n)
        time.sleep(0.1 if rate and (target - n) / rate < 3 else 2.0)

ex = ThreadPoolExecutor(clients)
# ---------- warm-up: the same work, untimed, so that both phases run code the JIT has compiled, as a server that has
# been up for a while does (the raw side gets the same warm-up count)
if warm:
    t = time.monotonic()
    create_all(ex, {}, warm // 6)
    wait_published(warm, t, "warm-up")
    log(f"warm-up: {warm} publications, untimed, published after {time.monotonic() - t:.1f}s")
if sys.argv[11]:  # ENGINE_JFR: profile the timed phases only
    subprocess.run([sys.argv[11], sys.argv[5], "JFR.start", "name=engine", "settings=profile"], check=True, stdout=subprocess.DEVNULL)
# ---------- phase 1 (the figure): create as fast as ENGINE_CLIENTS clients can, timed from the first create
before = benchlib.prometheus(app)
cpu0 = cpu()
t0 = time.monotonic()
# the coordinating call gets its own thread, so that all `clients` workers create
fut = ThreadPoolExecutor(1).submit(create_all, ex, {})
t_end = wait_published(warm + total, t0, "phase 1")
create_s = fut.result()
after = benchlib.prometheus(app)
cpu1 = cpu()
elapsed = t_end - t0
log(f"phase 1: all {total} published {elapsed:.2f}s after the first create: {total / elapsed:.0f}/s "
    f"(the creates alone took {create_s:.2f}s = {total / create_s:.0f} publications/s)")

# ---------- phase 2 (drain): the same load created ahead, all due at one instant; timed from that instant
lead = int(create_s * 1.3) + 10
due = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=lead)).replace(microsecond=0)
due_epoch = due.timestamp()
c2 = create_all(ex, {"publishAt": due.strftime("%Y-%m-%dT%H:%M:%S"), "timezone": "UTC"})
log(f"phase 2: {total} publications created ahead in {c2:.2f}s, all due at {due.time()} ({due_epoch - time.time():.1f}s from now)")
if time.time() > due_epoch:
    raise RuntimeError("phase 2 creates ran past the due time; raise the lead")
time.sleep(max(0.0, due_epoch - time.time()))
before2, cpu2 = benchlib.prometheus(app), cpu()
t_due = time.monotonic()
sampler = pg_sampler()
t_done = wait_published(warm + 2 * total, t_due, "phase 2")
after2, cpu3 = benchlib.prometheus(app), cpu()
drain = total / (t_done - t_due)
log(f"phase 2: {total} due publications all published after {t_done - t_due:.2f}s: {drain:.0f}/s")
ex.shutdown()

def d(name, **labels):
    return prom_sum(after, name, **labels) - prom_sum(before, name, **labels)

def avg_ms(base, **labels):
    n = d(base + "_count", **labels)
    return (d(base + "_sum", **labels) / n * 1000, n) if n else (float("nan"), 0)

def cpu_line(c0, c1, seconds):
    jvm, pg = c1[0] - c0[0], c1[1] - c0[1]
    split = {k: c1[2][k] - c0[2].get(k, 0.0) for k in c1[2]}
    parts = ", ".join(f"{k} {v / total * 1000:.2f}" for k, v in sorted(split.items(), key=lambda kv: -kv[1]) if v / total * 1000 >= 0.01)
    return (f"CPU {jvm / total * 1000:.2f} ms JVM + {pg / total * 1000:.2f} ms PostgreSQL per publication ({parts}); "
            f"{(jvm + pg) / seconds:.2f} of 2 cores busy")

step_ms, steps = avg_ms("crosspost_step_duration_seconds", step="publish")
acq_ms, acq_n = avg_ms("hikaricp_connections_acquire_seconds", pool="crosspost")
use_ms, use_n = avg_ms("hikaricp_connections_usage_seconds", pool="crosspost")
sim_ms, sim_n = avg_ms("http_server_requests_seconds", uri="/sandbox/platforms/{platform}/posts")
api_ms, api_n = avg_ms("http_server_requests_seconds", uri="/api/v1/posts", method="POST")
conn_busy = d("hikaricp_connections_usage_seconds_sum", pool="crosspost")
acq_wait = d("hikaricp_connections_acquire_seconds_sum", pool="crosspost")
transitions = d("crosspost_publication_transitions_total")
gc = d("jvm_gc_pause_seconds_sum")
log("where phase 1's time goes (Prometheus deltas):")
log(f"  publish step (the engine's HTTP call, end to end): avg {step_ms:.2f} ms x {steps:.0f}; "
    f"the simulator's own handling of it: avg {sim_ms:.2f} ms")
log(f"  API create: avg {api_ms:.1f} ms x {api_n:.0f} posts")
log(f"  pool: {use_n / total:.1f} connection checkouts per publication (creates included), held avg {use_ms:.2f} ms "
    f"= {conn_busy / total * 1000:.2f} ms of connection time per publication; "
    f"waiting for a connection avg {acq_ms:.2f} ms ({acq_wait:.1f}s in total)")
log(f"  state transitions: {transitions / total:.2f} per publication; GC pauses {gc:.2f}s")
log(f"  {cpu_line(cpu0, cpu1, elapsed)} (creates and the in-process simulator included)")
before, after = before2, after2
step_ms, _ = avg_ms("crosspost_step_duration_seconds", step="publish")
use_ms, use_n = avg_ms("hikaricp_connections_usage_seconds", pool="crosspost")
sim_ms, _ = avg_ms("http_server_requests_seconds", uri="/sandbox/platforms/{platform}/posts")
log("phase 2 (engine only, no creates running):")
log(f"  publish step avg {step_ms:.2f} ms (simulator's handling {sim_ms:.2f} ms); {use_n / total:.1f} connection checkouts "
    f"per publication, held avg {use_ms:.2f} ms; {cpu_line(cpu2, cpu3, t_done - t_due)} (simulator included)")
pg_sample_report(sampler)
log(f"  {threads} scheduler threads x {t_done - t_due:.1f}s = {threads * (t_done - t_due) / total * 1000:.1f} ms of scheduler thread per publication")

# ---------- phase 3 (the platform call alone): the generic adapter's publish call against the same simulators, from
# as many threads as the engine has, in a JVM of its own with no engine around it: a floor under a publication's cost
caller = subprocess.Popen(shlex.split(os.environ["ENGINE_CALL_CMD"]) + [app, str(total), str(max(warm, total // 2)), str(threads)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
if caller.stdout.readline().strip() != "WARM":
    raise RuntimeError("the call bench did not warm up")
cpu4 = cpu()
caller.stdin.write("go\n")
caller.stdin.flush()
calls_line = caller.stdout.read().strip().splitlines()[-1]
cpu5 = cpu()
if caller.wait() != 0 or not calls_line.startswith("CALLS"):
    raise RuntimeError(f"the call bench failed: {calls_line}")
calls = dict(kv.split("=") for kv in calls_line.split()[1:])
calls_per_s, client_cpu = float(calls["per_s"]), float(calls["client_cpu_s"])
app_cpu = (cpu5[0] - cpu4[0]) + (cpu5[1] - cpu4[1])
floor_ms = (client_cpu + app_cpu) / total * 1000
log(f"phase 3 (platform calls alone, no engine): {total} calls at {calls_per_s:.0f}/s; CPU {client_cpu / total * 1000:.2f} ms "
    f"client + {app_cpu / total * 1000:.2f} ms app (simulator) = {floor_ms:.2f} ms per call, so the call alone caps "
    f"2 cores at {2000 / floor_ms:.0f}/s; the engine's publication costs {(cpu3[0] - cpu2[0] + cpu3[1] - cpu2[1]) / total * 1000:.2f} ms")
json.dump({"engine_per_s": total / elapsed, "elapsed": elapsed, "total": total, "warm": warm, "drain_per_s": drain,
           "calls_per_s": calls_per_s, "call_floor_ms": floor_ms}, open(out, "w"))
PY

[ -n "${ENGINE_JFR:-}" ] && "$JAVA_HOME/bin/jcmd" "$APP_PID" JFR.stop name=engine filename="$work/engine.jfr" >/dev/null
pg_counts >"$work/pg.after"
python3 - "$work/result.json" "$work/pg.before" "$work/pg.after" "$raw_per_s" "$raw_cpu_ms" >"$work/result.line" <<'PY'
import json, sys
from benchlib import log
r = json.load(open(sys.argv[1]))
total = 2 * r["total"] + r["warm"]
log("PostgreSQL over the warm-up and both phases (creates included):")
def load(path):
    rows = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 6:
            rows[parts[0]] = list(map(int, parts[1:]))
    return rows
b, a = load(sys.argv[2]), load(sys.argv[3])
if "db" in a and "db" in b:
    x = [p - q for p, q in zip(a["db"], b["db"])]
    log(f"  PostgreSQL per publication: {x[0] / total:.1f} commits, {x[1] / total:.1f} rows inserted, "
        f"{x[2] / total:.1f} updated, {x[3] / total:.1f} deleted, {x[4] / total:.1f} read")
    per_table = []
    for t in sorted(a):
        if t == "db":
            continue
        y = [p - q for p, q in zip(a[t], b.get(t, [0] * 5))]
        if any(y[1:4]):
            per_table.append(f"{t} +{y[1] / total:.1f}/~{y[2] / total:.1f}/-{y[3] / total:.1f}")
    log("  rows per publication by table (+ins/~upd/-del): " + ", ".join(per_table))
engine, raw = r["engine_per_s"], float(sys.argv[4])
log(f"side by side: raw {raw:.0f}/s; engine {engine:.0f}/s from first create (ratio {raw / engine:.2f}), "
    f"{r['drain_per_s']:.0f}/s draining work created ahead (ratio {raw / r['drain_per_s']:.2f})")
# the least any engine that runs a publication as one db-scheduler execution making one platform call can cost
floor_ms = float(sys.argv[5]) + r["call_floor_ms"]
log(f"floor: a raw execution costs {float(sys.argv[5]):.2f} ms of CPU (the whole machine, raw side) and the platform call "
    f"alone {r['call_floor_ms']:.2f} ms ({r['calls_per_s']:.0f} calls/s); an engine doing nothing else would cost {floor_ms:.2f} ms "
    f"a publication: at most {2000 / floor_ms:.0f}/s on 2 cores, overhead ratio at least {raw * floor_ms / 2000:.2f}")
print(f"RESULT engine_per_s={engine:.0f} raw_per_s={raw:.0f} overhead_ratio={raw / engine:.2f} calls_alone_per_s={r['calls_per_s']:.0f} "
      f"floor_ratio={raw * floor_ms / 2000:.2f}")
PY

if [ -n "${ENGINE_JFR:-}" ]; then
  bench_log "JFR of the app during the measured phase:"
  python3 "$BENCH_ROOT/bench/jfr_summary.py" "$JAVA_HOME/bin/jfr" "$work/engine.jfr" || true
fi
cat "$work/result.line"
