#!/usr/bin/env python
"""Run the load test end to end and judge it; exit 1 when a criterion is missed (``make loadtest``).

    python loadtest/run.py [--users 20] [--spawn-rate 5] [--time 60s] [--clients 50000] [--workers 2] [--threads 4]

1. Build the data set (``loadtest/build.py``) into a new database: a SQLite file in a temporary folder, or, when
   ``DATABASE_URL`` points at PostgreSQL, a database ``<name>_load_<pid>`` created beside the configured one and
   dropped afterwards (as ``bench/run.py`` does; the configured database itself is never touched).
2. Serve it with gunicorn on 127.0.0.1 only (a free port), DEBUG off, persistent database connections.
3. Run locust headless for a bounded time against that address (``loadtest/locustfile.py``).
4. Stop the server and print the totals against the criteria: no server error and under 1 % failed requests
   among all requests; the 95th percentile under 800 ms and the throughput over the work once every simulated
   user has logged in (the logins and the warm-up behind them are reported apart).
"""

import argparse
import contextlib
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from bench.run import _is_postgres, _postgres_database  # noqa: E402

MAX_FAILURE_RATE = 0.01
MAX_P95_MS = 800
LOGINS = {"Aggregated", "/login/", "/login/ [POST]", "/api/v1/auth/token/"}  # left out of "slowest routes"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def _database(folder: Path):
    """The URL of a new, empty database for this run."""
    configured = os.environ.get("DATABASE_URL", "")
    if _is_postgres(configured):
        from urllib.parse import urlsplit

        base = urlsplit(configured).path.lstrip("/") or "rapport"
        with _postgres_database(configured, f"{base}_load_{os.getpid()}") as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'load.sqlite3'}"


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting; see its log above")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (ours)
            if response.status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f} s")


def _totals(stats_csv: Path) -> dict:
    with stats_csv.open(encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "rps": float(total["Requests/s"]),
        "slowest": sorted(
            ((name, float(row["95%"])) for name, row in rows.items() if name not in LOGINS),
            key=lambda item: -item[1],
        )[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second (default 5)")
    parser.add_argument("--time", default="60s", help="how long locust runs (default 60s)")
    parser.add_argument("--clients", type=int, default=50_000, help="clients in the data set (default 50,000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--csv-dir", help="keep locust's CSV files in this folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="rapport-load-") as tmp, _database(Path(tmp)) as database_url:
        folder = Path(args.csv_dir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "60",
        }
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, str(ROOT / "loadtest/build.py"), "--clients", str(args.clients)], env=env, check=True
        )
        print(f"# built in {time.perf_counter() - started:.0f} s; serving on {host}", flush=True)

        # gthread workers: each worker process serves --threads requests at once; processes use both cores.
        server = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, fixed arguments)
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                f"--threads={args.threads}",
                "--worker-class=gthread",
                # Idle connections stay open longer than a simulated user's pause (at most 3 s): with gunicorn's
                # 2 s default the server closes a pooled connection just as the client reuses it (a reset).
                "--keep-alive=30",
                "--log-level=warning",
                "--timeout=60",
            ],
            cwd=ROOT,
            env=env,
        )
        report = folder / "server_errors.json"
        try:
            _wait_until_up(f"{host}/login/", server)
            locust = subprocess.run(  # noqa: S603 (the venv's locust, fixed arguments)
                [
                    str(BIN / "locust"),
                    f"--locustfile={ROOT / 'loadtest/locustfile.py'}",
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.spawn_rate}",
                    f"--run-time={args.time}",
                    f"--host={host}",
                    f"--csv={folder / 'locust'}",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=os.environ | {"LOADTEST_REPORT": str(report)},
                check=False,
            )
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

        stats = folder / "locust_stats.csv"
        if not stats.exists():
            print(f"FAIL: locust wrote no statistics (exit code {locust.returncode})")
            return 1
        totals = _totals(stats)
        tally = json.loads(report.read_text()) if report.exists() else None
    if tally is None:
        print("FAIL: the locustfile wrote no report")
        return 1

    work, login = tally["work"], tally["login"]
    requests = totals["requests"]
    rate = totals["failures"] / requests if requests else 1.0
    p95 = work["p95_ms"] if work["p95_ms"] is not None else float("inf")
    checks = [
        ("server errors (5xx)", f"{tally['server_errors']}", tally["server_errors"] == 0),
        ("failed requests", f"{totals['failures']} of {requests} ({rate:.2%}), limit < 1 %", rate < MAX_FAILURE_RATE),
        (
            "95th percentile",
            f"{p95:.0f} ms (median {work['p50_ms']:.0f} ms), limit < {MAX_P95_MS} ms",
            p95 < MAX_P95_MS,
        ),
    ]
    print()
    print(
        f"Load test: {args.clients:,} clients, {args.users} users, {args.time}, gunicorn {args.workers}x{args.threads}"
    )
    print(f"  work: {work['requests']} requests, throughput {work['rps']} requests/s (logins not counted)")
    for label, value, ok in checks:
        print(f"  {'ok  ' if ok else 'FAIL'} {label:<20} {value}")
    warmup = tally["warmup"]
    print(
        f"  warm-up (until every user has logged in): {warmup['requests']} requests, median {warmup['p50_ms']} ms, "
        f"p95 {warmup['p95_ms']} ms"
    )
    print(
        f"  logins: {login['requests']} requests (form and API token), median {login['p50_ms']} ms, "
        f"p95 {login['p95_ms']} ms; all requests: p95 {totals['p95_ms']:.0f} ms, {totals['rps']:.1f} requests/s"
    )
    print("  slowest routes (p95): " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in totals["slowest"]))
    if tally["server_errors_by_name"]:
        print("  server errors by route: " + json.dumps(tally["server_errors_by_name"]))
    passed = all(ok for _, _, ok in checks)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
