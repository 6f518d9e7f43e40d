"""Pages under load, served as in production: gunicorn with 4 sync workers and the
production settings, on the demo data (``manage.py demo``), loaded by ApacheBench
(``ab``, apache2-utils, installed by ``make bench`` when run as root) with 32 concurrent
connections for a few seconds a page, the same client and run for every page.

Prints requests per second, median and 95th percentile latency, and each page's ratio to
a bare Django view (the cost of the stack itself). Targets (issue 11): the candidate
dashboard at least 1/4 of the bare view's requests per second, the public référentiel page
at least 1/2, the evaluator's dossier page p95 under 300 ms. Also each worker's memory
once warm.

The database (SQLite) and the collected static files are built once in ``var/bench/load/``
and reused until the migrations or the demo change.
"""

import collections
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

WORKERS = 4
CONCURRENCY = 32
SECONDS = 6
ROOT = Path(settings.BASE_DIR)


def _data_version() -> str:
    """The migrations and the demo's code: when they change, the data is built again."""
    digest = hashlib.sha256()
    sources = sorted(ROOT.glob("*/migrations/*.py")) + sorted((ROOT / "demo").rglob("*.py"))
    for source in sources:
        digest.update(str(source.relative_to(ROOT)).encode() + source.read_bytes())
    return digest.hexdigest()[:12]


HOME = ROOT / "var" / "bench" / "load" / _data_version()

pytestmark = pytest.mark.skipif(
    shutil.which("ab") is None,
    reason="ApacheBench (ab) is missing: apt-get install apache2-utils, or run make bench as root",
)


def environment(port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SETTINGS_MODULE="tests.benchmarks.load_settings",
        SECRET_KEY="bench-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=f"sqlite:///{HOME / 'db.sqlite3'}",
        MEDIA_ROOT=str(HOME / "media"),
        STATIC_ROOT=str(HOME / "static"),
        VAE_SITE_URL=f"http://127.0.0.1:{port}",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


def build(env):
    """The demo database and the collected static files, once."""
    ready = HOME / "ready"
    if ready.exists():
        return
    # Older builds (other migrations or demo) go: one data set at a time.
    shutil.rmtree(HOME.parent, ignore_errors=True)
    HOME.mkdir(parents=True)
    # The demo refuses to run in production: the data is built with the development
    # settings on the same database (tasks immediate: its evidence is extracted as added).
    development = {**env, "DJANGO_ENV": "development"}
    for command in (["migrate", "--noinput"], ["load_referentiel"], ["demo"]):
        manage(development, *command)
    manage(env, "collectstatic", "--noinput")
    ready.write_text("ok\n")


SESSIONS = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from review.models import Assignment
from review.enums import AssignmentStatus

def session(email):
    user = get_user_model().objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

assignment = Assignment.objects.filter(
    evaluator__email="eval.pro1@demo.vae.local", status=AssignmentStatus.ACTIVE
).order_by("pk").first()
print(session("ines.lambert@demo.vae.local"), session(assignment.evaluator.email), assignment.pk)
"""


def sessions(env) -> tuple[str, str, int]:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SESSIONS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    # The last line: Django's shell may print its automatic imports first.
    candidate, evaluator, assignment = result.stdout.strip().splitlines()[-1].split()
    return candidate, evaluator, int(assignment)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerLog:
    """Reads gunicorn's log as it comes (so the pipe never fills) and tells when the
    master is listening: from then on connections wait in its backlog until a worker
    takes them, so the first request blocks instead of being refused."""

    def __init__(self, server: subprocess.Popen):
        self.lines = collections.deque(maxlen=50)
        self.listening = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(server.stderr,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for raw in stream:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            if "Listening at:" in line:
                self.listening.set()
        self.listening.set()  # gunicorn stopped: wake the waiter, which sees it

    def wait_until_up(self, url: str, server: subprocess.Popen):
        if not self.listening.wait(timeout=60) or server.poll() is not None:
            raise RuntimeError("gunicorn did not start:\n" + "\n".join(self.lines))
        with urllib.request.urlopen(url, timeout=60) as response:
            assert response.status == 200


def ab(url: str, cookie: str | None, *, seconds=SECONDS, concurrency=CONCURRENCY) -> dict:
    command = ["ab", "-q", "-t", str(seconds), "-n", "1000000", "-c", str(concurrency)]
    if cookie:
        command += ["-C", f"sessionid={cookie}"]
    result = subprocess.run([*command, url], capture_output=True, text=True)
    assert result.returncode == 0, f"ab {url}: {result.stderr[-2000:]}"
    output = result.stdout
    non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", output)
    assert non_2xx is None, f"{url}: {non_2xx.group(1)} answers were not 200\n{output}"
    return {
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", output).group(1)),
        "p50": int(re.search(r"^\s+50%\s+(\d+)", output, re.M).group(1)),
        "p95": int(re.search(r"^\s+95%\s+(\d+)", output, re.M).group(1)),
        "requests": int(re.search(r"Complete requests:\s+(\d+)", output).group(1)),
    }


def static_headers(base: str) -> tuple[str, str]:
    """A style sheet the pages link to, and its Cache-Control: hashed names (manifest)
    are cached for a year by browsers and proxies."""
    with urllib.request.urlopen(f"{base}/certification/") as response:
        html = response.read().decode()
    path = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    with urllib.request.urlopen(base + path) as response:
        return path, response.headers.get("Cache-Control", "")


def worker_rss_mb(master: int) -> list[int]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.M):
            sizes.append(int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)) // 1024)
    return sorted(sizes)


def test_pages_under_load():
    port = free_port()
    env = environment(port)
    start = time.perf_counter()
    build(env)
    candidate, evaluator, assignment = sessions(env)
    print(f"\nload data ready in {time.perf_counter() - start:.0f} s (var/bench/load)")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    log = ServerLog(server)
    base = f"http://127.0.0.1:{port}"
    dossier = f"/evaluation/affectations/{assignment}/dossier/"
    try:
        log.wait_until_up(f"{base}/bench/bare/", server)
        pages = [
            ("bare Django view", "/bench/bare/", None),
            ("candidate dashboard", "/candidature/", candidate),
            ("public référentiel page", "/certification/", None),
            ("evaluator dossier page", dossier, evaluator),
        ]
        # Warm every worker: imports, templates, caches.
        for _label, path, cookie in pages:
            ab(base + path, cookie, seconds=2, concurrency=WORKERS * 2)
        rss = worker_rss_mb(server.pid)
        static = static_headers(base)
        results = {label: ab(base + path, cookie) for label, path, cookie in pages}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.thread.join(timeout=30)
        server.stderr.close()
    bare = results["bare Django view"]["rps"]
    print(f"gunicorn {WORKERS} sync workers, ab -c {CONCURRENCY}, {SECONDS} s a page")
    print(f"{'page':<28} {'req/s':>8} {'p50':>7} {'p95':>7} {'/ bare':>8} {'requests':>9}")
    for label, figures in results.items():
        print(
            f"{label:<28} {figures['rps']:8.0f} {figures['p50']:5d}ms {figures['p95']:5d}ms "
            f"{figures['rps'] / bare:8.2f} {figures['requests']:9d}"
        )
    print("targets: dashboard >= 0.25 of bare, référentiel >= 0.50, evaluator dossier p95 < 300 ms")
    print(f"worker memory once warm (RSS): {', '.join(f'{m} MB' for m in rss)}")
    print(f"static file {static[0]}: Cache-Control: {static[1]}")
    assert "immutable" in static[1]
    assert all(figures["requests"] > 0 for figures in results.values())
