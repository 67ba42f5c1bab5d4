#!/usr/bin/env python
"""Run the benchmarks under ``bench/`` and print one JSON line per case; exit 1 if any case is not ok.

    python bench/run.py [--bench NAME|all] [--scale small|full]

Each ``bench/bench_<name>.py`` module exposes ``run(scale: str) -> list[dict]``. Every benchmark gets a fresh,
migrated database of its own: a SQLite file in a temporary folder, or, when ``DATABASE_URL`` points at
PostgreSQL, a database ``<name>_bench_<pid>`` created beside the configured one and dropped afterwards (the role
needs CREATEDB). The configured database itself is never touched.
"""

import argparse
import contextlib
import importlib
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SCALES = ("small", "full")


def discover() -> dict[str, str]:
    """Benchmark name -> module name, for every ``bench/bench_*.py``."""
    return {p.stem.removeprefix("bench_"): f"bench.{p.stem}" for p in sorted((ROOT / "bench").glob("bench_*.py"))}


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


@contextlib.contextmanager
def _postgres_database(url: str, name: str):
    """Create database ``name`` on the server of ``url``, yield its URL, drop it afterwards."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin = psycopg.connect(url, autocommit=True)
    try:
        quoted = sql.Identifier(name)
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(quoted))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(quoted))
        try:
            yield urlunsplit(parts._replace(path="/" + name))
        finally:
            from django.db import connections

            connections.close_all()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(quoted))
    finally:
        admin.close()


@contextlib.contextmanager
def fresh_database(label: str):
    """Point Django's default connection at a new, migrated database for one benchmark."""
    from django.core.management import call_command
    from django.db import connections

    configured = os.environ.get("BENCH_DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if configured and _is_postgres(configured):
            base = urlsplit(configured).path.lstrip("/") or "rapport"
            url = stack.enter_context(_postgres_database(configured, f"{base}_bench_{label}_{os.getpid()}"))
            import dj_database_url

            name = dj_database_url.parse(url)["NAME"]
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"rapport-bench-{label}-"))
            name = str(Path(folder) / "bench.sqlite3")
        connections.close_all()
        connections["default"].settings_dict["NAME"] = name
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"# {label}: migrated a fresh database in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        try:
            yield
        finally:
            connections.close_all()


def setup_django() -> None:
    """Django with the test settings, on a throwaway database (never the configured one)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    configured = os.environ.get("DATABASE_URL", "")
    os.environ["BENCH_DATABASE_URL"] = configured
    if not _is_postgres(configured):
        # The real file is chosen per benchmark in fresh_database(); this keeps settings off db.sqlite3.
        os.environ["DATABASE_URL"] = "sqlite:///" + str(Path(tempfile.gettempdir()) / "rapport-bench-unused.sqlite3")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    benches = discover()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bench", default="all", help=f"one of: all, {', '.join(benches)}")
    parser.add_argument("--scale", default="small", choices=SCALES)
    args = parser.parse_args(argv)
    if args.bench != "all" and args.bench not in benches:
        parser.error(f"unknown benchmark {args.bench!r}; known: {', '.join(benches) or 'none'}")
    selected = benches if args.bench == "all" else {args.bench: benches[args.bench]}

    setup_django()
    all_ok = True
    for name, module_name in selected.items():
        started = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
            with fresh_database(name):
                results = module.run(args.scale)
        except Exception:
            traceback.print_exc()
            results = [{"bench": name, "case": "*", "metric": "time", "ratio": None, "ok": False, "error": "crashed"}]
        for result in results:
            result.setdefault("scale", args.scale)
            print(json.dumps(result), flush=True)
            all_ok = all_ok and bool(result.get("ok"))
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
