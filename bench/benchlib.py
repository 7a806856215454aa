"""Shared helpers for bench/*.sh (stdlib only): JSON over HTTP, post creation that survives a dying app."""
import http.client
import json
import uuid
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PLATFORMS = ["x", "instagram", "youtube", "tiktok", "pinterest", "bluesky"]
# made-up platforms on the generic simulator and adapter, for benches of the engine (apps.sh's BENCH_GENERIC)
GENERIC = ["gen-a", "gen-b", "gen-c", "gen-d", "gen-e", "gen-f"]


def log(*args):
    print(time.strftime("[%H:%M:%S]"), *args, file=sys.stderr, flush=True)


_API_KEYS = {}


def api_key(base):
    """The demo user's API key for the app at base, made once: calls to /api and /actuator are signed in with it."""
    if base not in _API_KEYS:
        _, login = _send("POST", base + "/api/v1/auth/login", {"email": "demo@crosspost.local", "password": "crosspost-demo"}, 30.0, {})
        _, made = _send("POST", base + "/api/v1/api-keys", {"name": "bench", "scopes": ["read", "write", "admin"]}, 30.0,
                        {"Authorization": "Bearer " + login["accessToken"]})
        _API_KEYS[base] = made["key"]
    return _API_KEYS[base]


def call(method, url, body=None, timeout=30.0, headers=None):
    """Returns (status, parsed JSON or None). Raises OSError-ish exceptions when there is no HTTP answer."""
    parts = urllib.parse.urlsplit(url)
    if parts.path.startswith("/api/") or parts.path.startswith("/actuator/prometheus"):
        headers = dict(headers or {}, **{"X-API-Key": api_key(f"{parts.scheme}://{parts.netloc}")})
    return _send(method, url, body, timeout, headers or {})


def _send(method, url, body, timeout, headers):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw else None)
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw) if raw else None
        except ValueError:
            return e.code, None


def get(url, timeout=30.0):
    status, body = call("GET", url, timeout=timeout)
    if status != 200:
        raise RuntimeError(f"GET {url} answered {status}: {body}")
    return body


# Errors where the request may have reached the app (and committed) before the answer was lost.
AMBIGUOUS = (ConnectionResetError, http.client.RemoteDisconnected, http.client.IncompleteRead, socket.timeout, TimeoutError)


class CreateOutcome:
    def __init__(self, post, attempts, ambiguous, refused):
        self.post = post  # the 201 body, or None when the API refused the post for good (4xx)
        self.attempts = attempts
        self.ambiguous = ambiguous  # failed attempts whose request may have been committed (possible orphan posts)
        self.refused = refused  # failed attempts that certainly never reached the app (connection refused)


def create_post(base, body, timeout=30.0, give_up_after=900.0):
    """POSTs /api/v1/posts until the API acknowledges it (201). A create that fails because the app is being
    killed is retried with the same Idempotency-Key, as a careful client does, so a create that committed before
    its answer was lost is not made twice; only a 4xx is final. Returns a CreateOutcome."""
    attempts = ambiguous = refused = 0
    key = {"Idempotency-Key": "bench-" + uuid.uuid4().hex}
    deadline = time.monotonic() + give_up_after
    while True:
        attempts += 1
        try:
            status, resp = call("POST", base + "/api/v1/posts", body, timeout=timeout, headers=key)
            if status == 201 and resp and resp.get("publications"):
                return CreateOutcome(resp, attempts, ambiguous, refused)
            if 400 <= status < 500 and status not in (408, 429):
                log(f"create refused for good: {status} {resp}")
                return CreateOutcome(None, attempts, ambiguous, refused)
            ambiguous += 1  # 5xx: the transaction rolled back or never started; counted as ambiguous to be safe
        except urllib.error.URLError as e:
            if isinstance(e.reason, ConnectionRefusedError):
                refused += 1
            else:
                ambiguous += 1
        except AMBIGUOUS:
            ambiguous += 1
        except OSError:
            ambiguous += 1
        if time.monotonic() > deadline:
            raise RuntimeError(f"create never acknowledged after {attempts} attempts")
        time.sleep(0.25)


def sim_records(sim_base, platform):
    return get(f"{sim_base}/sandbox/records?platform={platform}", timeout=120)


def stats(base, timeout=10.0):
    return get(base + "/api/v1/publications/stats", timeout=timeout)


TERMINAL = ("published", "failed", "dead", "cancelled")


def non_terminal(counts):
    return sum(v for k, v in counts.items() if k not in TERMINAL)


def parse_instant(s):
    """ISO-8601 instant (as Jackson writes it, up to nanoseconds, 'Z') to epoch seconds as float."""
    from datetime import datetime, timezone
    s = s.rstrip("Z")
    frac = 0.0
    if "." in s:
        s, f = s.split(".", 1)
        frac = float("0." + f)
    return datetime.fromisoformat(s).replace(tzinfo=timezone.utc).timestamp() + frac


def prometheus(base):
    """Scrapes /actuator/prometheus into {(name, frozenset(labels)): value}."""
    req = urllib.request.Request(base + "/actuator/prometheus", headers={"X-API-Key": api_key(base)})
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        try:
            head, value = line.rsplit(" ", 1)
            if "{" in head:
                name, rest = head.split("{", 1)
                labels = []
                for part in rest.rstrip("}").split('",'):
                    if "=" in part:
                        k, v = part.split("=", 1)
                        labels.append((k.strip(), v.strip().strip('"')))
                key = (name, frozenset(labels))
            else:
                key = (head, frozenset())
            out[key] = float(value)
        except ValueError:
            continue
    return out


def prom_sum(metrics, name, **labels):
    """Sum of every series of metric `name` whose labels include `labels`."""
    want = set(labels.items())
    return sum(v for (n, ls), v in metrics.items() if n == name and want <= set(ls))


def proc_cpu(app_pid, postmaster_pidfile):
    """CPU seconds used so far by the JVM and by its embedded PostgreSQL (postmaster, its live children, and the
    children that exited, which the postmaster's cutime/cstime hold), and a split of each: the JVM's JIT compiler
    and GC threads against the rest, PostgreSQL's client backends against its own workers (WAL writer,
    checkpointer, autovacuum; the postmaster's own CPU and its exited children's count together)."""
    import os
    hz = os.sysconf("SC_CLK_TCK")

    def stat(path):
        with open(f"{path}/stat") as f:
            head, tail = f.read().rsplit(")", 1)
        fields = tail.split()
        return int(fields[1]), sum(int(x) for x in fields[11:15]) / hz, head.split("(", 1)[1]  # ppid, cpu, comm

    split = {}

    def add(key, seconds):
        split[key] = split.get(key, 0.0) + seconds

    jvm = 0.0
    for tid in os.listdir(f"/proc/{app_pid}/task"):
        try:
            _, cpu, comm = stat(f"/proc/{app_pid}/task/{tid}")
        except (OSError, IndexError, ValueError):
            continue
        jvm += cpu
        add("jvm JIT" if "CompilerThre" in comm else "jvm GC" if comm.startswith(("GC Thread", "VM Thread", "G1")) else "jvm other", cpu)
    with open(postmaster_pidfile) as f:
        pm = int(f.readline())
    pg = stat(f"/proc/{pm}")[1]
    add("pg postmaster+exited", pg)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid, cpu, _ = stat(f"/proc/{entry}")
                if ppid != pm:
                    continue
                with open(f"/proc/{entry}/cmdline") as f:
                    title = f.read().replace("\0", " ")
            except (OSError, IndexError, ValueError):
                continue
            pg += cpu
            kind = title.removeprefix("postgres: ").split()[0] if title.startswith("postgres: ") else "other"
            add("pg backends" if kind not in ("checkpointer", "walwriter", "autovacuum", "background", "logical", "io",
                                              "walsummarizer", "archiver", "startup") else "pg " + kind, cpu)
    return jvm, pg, split
