"""The server side of a bench: a throwaway database, a production-like environment, gunicorn.

Order matters: the environment is decided (which database, production or not) before
Django is imported, because ``kium.settings`` reads it once. Seeding then runs in this
process through the ORM, and gunicorn is started afterwards as a child process with the
same environment, so both see the same database and settings.
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_VAR = PROJECT_DIR / "var" / "bench"
GUNICORN_CONF = PROJECT_DIR / "deploy" / "gunicorn.conf.py"

PG_ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
PG_BENCH_DB = os.environ.get("KIUM_BENCH_DB", "kium_bench")  # two benches at once
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
SQLITE_PATH = BENCH_VAR / "kium_bench.sqlite3"

# What nginx adds in front of gunicorn in production (deploy/nginx): with it Django sees
# HTTPS, so the production redirect to https:// stays on and is not what we measure.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


# --- database ---------------------------------------------------------------------------


@dataclass
class Database:
    vendor: str  # "postgresql" or "sqlite"
    url: str
    note: str = ""

    def recreate(self) -> None:
        """Drop the bench database and make it again, empty (``migrate`` fills it)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
                # FORCE ends the connections a previous run (or this one's seeding) left.
                conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        else:
            SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)

    def version(self) -> str:
        from django.db import connection

        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                return f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("select sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"


def choose_database(*, force_sqlite: bool = False) -> Database:
    """PostgreSQL on 127.0.0.1:5432 when it answers; otherwise a SQLite file in var/bench."""
    if force_sqlite:
        return Database("sqlite", f"sqlite:///{SQLITE_PATH}", note="SQLite asked for (--sqlite)")
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_DSN) as conn:
            conn.execute("SELECT 1")
        return Database("postgresql", PG_BENCH_URL)
    except Exception as exc:  # any failure to reach it means the fallback
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Database(
            "sqlite",
            f"sqlite:///{SQLITE_PATH}",
            note=f"PostgreSQL on 127.0.0.1:5432 unreachable ({reason}); using SQLite",
        )


# --- environment ------------------------------------------------------------------------


def production_environment(database: Database) -> dict[str, str]:
    """KIUM_ENV=production with stand-in credentials that never reach a provider.

    Production refuses to start without an SMS provider and a real mail backend
    (kium.core.startup); the bench sends neither SMS nor mail, so the provider gets
    fake keys and a base URL nowhere, and mail the dummy backend, which drops messages.
    """
    return {
        "KIUM_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database.url,
        "KIUM_SMS_PROVIDER": "solapi",
        "KIUM_SOLAPI_API_KEY": "bench-not-a-key",
        "KIUM_SOLAPI_API_SECRET": "bench-not-a-secret",
        "KIUM_SOLAPI_BASE_URL": "http://127.0.0.1:9",
        "KIUM_SMS_SENDER": "0212345678",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STATIC_ROOT": str(BENCH_VAR / "static"),
        "MEDIA_ROOT": str(BENCH_VAR / "media"),
        "KIUM_LOG_LEVEL": "WARNING",
    }


def fallback_environment(database: Database) -> dict[str, str]:
    """Development mode with DEBUG off, used only when production refuses to start."""
    return {
        "KIUM_ENV": "development",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database.url,
        "STATIC_ROOT": str(BENCH_VAR / "static"),
        "MEDIA_ROOT": str(BENCH_VAR / "media"),
        "KIUM_LOG_LEVEL": "WARNING",
    }


def _django_starts(env: dict[str, str]) -> tuple[bool, str]:
    """Try ``django.setup()`` in a child process, so a refusal does not poison ours."""
    child_env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "kium.settings"}
    child_env.pop("KIUM_TESTING", None)
    probe = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=child_env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = probe.stderr.strip().splitlines()
    return probe.returncode == 0, lines[-1] if lines else ""


def choose_environment(database: Database) -> tuple[dict[str, str], str]:
    """The environment for seeding and for gunicorn, and a sentence saying which mode."""
    env = production_environment(database)
    ok, error = _django_starts(env)
    if ok:
        return env, (
            "production (KIUM_ENV=production, DEBUG off, stand-in SMS keys, dummy mail, "
            "local-memory cache, X-Forwarded-Proto: https as nginx sends)"
        )
    env = fallback_environment(database)
    return env, f"development with DEBUG off (production refused to start: {error})"


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kium.settings"
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()


def fresh_database(database: Database) -> None:
    """An empty, migrated bench database; Django's connections are closed first."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    database.recreate()
    call_command("migrate", interactive=False, verbosity=0)


def collect_static() -> None:
    """Production templates need the hashed names of the manifest storage."""
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):
        call_command("collectstatic", interactive=False, verbosity=0)


# --- gunicorn ---------------------------------------------------------------------------


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class GunicornServer:
    """gunicorn with deploy/gunicorn.conf.py on a free port, serving ``kium.wsgi`` by default.

    Workers and threads are the bench's choice; everything else (timeouts, max_requests,
    the access log) is the production configuration.
    """

    def __init__(
        self,
        *,
        workers: int,
        threads: int,
        log_path: Path,
        host: str = "127.0.0.1",
        app: str = "kium.wsgi:application",
    ):
        # ``app``: a target may serve its own baselines next to Kium's URLs from a
        # module in bench/ that wraps kium.wsgi (gunicorn runs in the project directory).
        self.app = app
        self.workers, self.threads = workers, threads
        self.host = host
        self.port = 0
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.default_headers = dict(PROXY_HEADERS)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--config",
            str(GUNICORN_CONF),
            "--bind",
            f"{self.host}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            # The control socket lives in $HOME by default: one per user, so a bench
            # would take it from a gunicorn already running there.
            "--no-control-socket",
        ]

    def start(self, timeout: float = 90.0) -> None:
        self.port = free_port(self.host)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kium.settings"}
        self.process = subprocess.Popen(
            self.command(), stdout=log, stderr=subprocess.STDOUT, env=env, cwd=PROJECT_DIR
        )
        log.close()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()  # ``with`` does not call __exit__ when __enter__ fails
            raise

    def _wait_ready(self, timeout: float) -> None:
        from bench.load import Request, fetch_sync

        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                response = fetch_sync(
                    self.host,
                    self.port,
                    Request(path="/api/v1/health"),
                    default_headers=self.default_headers,
                    timeout=5,
                )
                if response.status == 200:
                    self._settle(deadline)
                    return
                last = f"health answered {response.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s ({last}):\n{self.tail()}")

    def _settle(self, deadline: float) -> None:
        """Wait until every worker has booted and answered once.

        A worker loads the URLconf and the views on its first request (~0.4 s here); the
        first request a measured connection happens to send to a fresh worker would
        otherwise carry it. Bursts of one-request connections spread over the workers;
        two bursts in a row without a slow answer mean every worker is warm.
        """
        from bench.load import Request, load

        while self.tail(10_000).count("Booting worker") < self.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn workers did not boot:\n{self.tail()}")
            time.sleep(0.1)
        lanes = self.workers * self.threads
        burst = [Request(path="/api/v1/health", headers={"Connection": "close"})] * (lanes * 4)
        clean = 0
        while clean < 2 and time.monotonic() < deadline:
            result = load(
                self.host,
                self.port,
                burst,
                concurrency=lanes,
                default_headers=self.default_headers,
            )
            slowest = max(sample.latency for sample in result.samples)
            healthy = all(sample.status == 200 for sample in result.samples)
            clean = clean + 1 if healthy and slowest < 0.1 else 0
        if clean < 2:
            print("warning: gunicorn's workers did not settle; early figures may be slow")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()  # gunicorn's graceful shutdown
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> GunicornServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# --- the machine ------------------------------------------------------------------------


def _meminfo_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(database: Database) -> dict:
    import django

    try:
        from importlib.metadata import version

        gunicorn_version = version("gunicorn")
    except Exception:
        gunicorn_version = "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "nproc": usable or os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gib": _meminfo_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn_version,
        "database": database.version(),
        "database_note": database.note,
        "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
