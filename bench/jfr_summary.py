"""Summarises a JFR recording for bench/engine.sh: where the app's CPU samples go, by component and by entry point,
and which monitors the threads waited on. Usage: python3 jfr_summary.py JFR_BIN RECORDING.jfr"""
import json
import subprocess
import sys
from collections import Counter

jfr, recording = sys.argv[1], sys.argv[2]

COMPONENTS = [  # first match on the top frame's class wins
    ("org.postgresql.", "PostgreSQL JDBC driver"),
    ("com.zaxxer.hikari.", "HikariCP"),
    ("jdk.internal.net.http.", "JDK HttpClient"),
    ("org.apache.tomcat.", "Tomcat"), ("org.apache.catalina.", "Tomcat"), ("org.apache.coyote.", "Tomcat"),
    ("tools.jackson.", "Jackson"), ("com.fasterxml.jackson.", "Jackson"),
    ("io.micrometer.", "Micrometer"),
    ("com.github.kagkarlsson.", "db-scheduler"),
    ("io.github.bucket4j.", "Bucket4j"),
    ("io.github.resilience4j.", "Resilience4j"),
    ("ch.qos.logback.", "logging"), ("org.slf4j.", "logging"),
    ("org.springframework.", "Spring"),
    ("dev.crosspost.", "app code"),
]
ENTRY_POINTS = [  # a sample counts for every entry point on its stack (inclusive)
    ("dev.crosspost.publishing.engine.PublicationEngine.advance", "engine: advance (one run of a publication job)"),
    ("dev.crosspost.publishing.engine.QuotaGate.take", "engine: quota gate (Bucket4j + quota_blocks)"),
    ("dev.crosspost.publishing.engine.PublicationStore.save", "engine: PublicationStore.save (+history)"),
    ("dev.crosspost.publishing.engine.PostSettlement.onTerminal", "engine: post settlement"),
    ("dev.crosspost.publishing.adapter.generic.GenericPlatformAdapter.run", "engine: adapter HTTP call (client side)"),
    ("com.github.kagkarlsson.scheduler.FetchCandidates", "db-scheduler: fetch"),
    ("com.github.kagkarlsson.scheduler.LockAndFetchCandidates", "db-scheduler: lock-and-fetch"),
    ("com.github.kagkarlsson.scheduler.ExecutePicked", "db-scheduler: execute picked (incl. the task)"),
    ("com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepository", "db-scheduler: repository SQL"),
    ("dev.crosspost.publishing.engine.PostService.create", "API: PostService.create"),
    ("dev.crosspost.publishing.web.PostController", "API: PostController"),
    ("dev.crosspost.sandbox.", "simulator (sandbox) code"),
    ("org.springframework.web.servlet.DispatcherServlet.doDispatch", "any HTTP request in Spring MVC (API + simulator + actuator)"),
    ("dev.crosspost.system.health.", "health / scheduler stats"),
    ("io.micrometer.", "Micrometer anywhere on the stack"),
]


def frames(event):
    st = event.get("values", {}).get("stackTrace") or {}
    out = []
    for f in st.get("frames", []):
        m = f.get("method", {})
        out.append(m.get("type", {}).get("name", "?").replace("/", ".") + "." + m.get("name", "?"))
    return out


def events(kind):
    raw = subprocess.run([jfr, "print", "--json", "--stack-depth", "512", "--events", kind, recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(raw)["recording"]["events"]


THREADS = [  # thread name prefix -> what runs there
    ("tomcat-handler", "Tomcat request threads (API, in-process simulators, stats polls)"),
    ("db-scheduler-pool", "db-scheduler executors (the engine's runs)"),
    ("HttpClient-", "JDK HttpClient workers and selector"),
    ("db-scheduler", "db-scheduler's own threads (fetch, heartbeat)"),
    ("", "other (unnamed virtual threads: mostly the adapters' calls)"),
]
recorded = events("jdk.ExecutionSample")
by_thread = Counter()
for e in recorded:
    name = (e.get("values", {}).get("sampledThread") or {}).get("javaName") or ""
    by_thread[next(label for prefix, label in THREADS if name.startswith(prefix))] += 1
samples = [frames(e) for e in recorded]
truncated = sum(1 for e in recorded if (e.get("values", {}).get("stackTrace") or {}).get("truncated"))
samples = [s for s in samples if s]
n = len(samples)
if not n:
    print("no execution samples", file=sys.stderr)
    sys.exit(0)
by_component = Counter()
for s in samples:
    top = s[0]
    comp = next((c for prefix, c in COMPONENTS if top.startswith(prefix)), None)
    if comp is None:  # JDK code: name it after the first non-JDK frame that called it
        caller = next((f for f in s if not f.startswith(("java.", "jdk.", "sun.", "javax."))), None)
        comp = "JDK (under " + (next((c for prefix, c in COMPONENTS if caller and caller.startswith(prefix)), "JDK only")) + ")"
    by_component[comp] += 1
print(f"JFR: {n} CPU samples of the app during the measured phases ({truncated} stacks truncated)", file=sys.stderr)
print("  by thread:", file=sys.stderr)
for label, c in by_thread.most_common():
    print(f"    {100 * c / len(recorded):5.1f}%  {label}", file=sys.stderr)
print("  by component of the executing frame:", file=sys.stderr)
for comp, c in by_component.most_common(14):
    print(f"    {100 * c / n:5.1f}%  {comp}", file=sys.stderr)
print("  by entry point on the stack (inclusive; overlaps):", file=sys.stderr)
for prefix, label in ENTRY_POINTS:
    c = sum(1 for s in samples if any(f.startswith(prefix) for f in s))
    if c:
        print(f"    {100 * c / n:5.1f}%  {label}", file=sys.stderr)

waits = Counter()
for e in events("jdk.JavaMonitorEnter"):
    fr = frames(e)
    dur = e.get("values", {}).get("duration", "PT0S")
    try:
        secs = float(dur.strip("PTS")) if dur.endswith("S") and "M" not in dur else 0.0
    except ValueError:
        secs = 0.0
    site = next((f for f in fr if f.startswith(("dev.crosspost", "com.github.kagkarlsson", "io.micrometer", "io.github",
                                                "org.springframework", "com.zaxxer", "org.postgresql"))), fr[0] if fr else "?")
    waits[(fr[0] if fr else "?", site)] += secs
if waits:
    print("  monitor waits (total blocked seconds; monitor site <- first library/app frame):", file=sys.stderr)
    for (top, site), secs in waits.most_common(8):
        print(f"    {secs:7.2f}s  {top} <- {site}", file=sys.stderr)

# the JIT compiler: profile settings record compilations of 100 ms or more, and every deoptimization
compiles = events("jdk.Compilation")
deopts = Counter(e.get("values", {}).get("reason", "?") for e in events("jdk.Deoptimization"))
if compiles or deopts:
    secs = sum(float(d.strip("PTS")) for d in (e.get("values", {}).get("duration", "PT0S") for e in compiles)
               if d.endswith("S") and "M" not in d)
    print(f"  JIT: {len(compiles)} compilations of 100 ms or more ({secs:.1f}s of compiler wall time), "
          f"{sum(deopts.values())} deoptimizations (" + ", ".join(f"{k} {v}" for k, v in deopts.most_common(3)) + ")", file=sys.stderr)
