"""Screenshots of the running app for the README and the user guide, taken from the demo company.

    make screenshots        # builds a throw-away demo database, serves it, and writes docs/img/*.png

Runs the server itself (on a free port, against a temporary SQLite file) and drives Debian's Chromium with
Playwright, logged in as the demo accounts. Nothing of the developer's own database is touched.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PASSWORD = "rapport-demo"  # noqa: S105 (the demo company's published password)

# (account, path, file, what to wait for, full page)
SHOTS = [
    ("boss", "/clients/", "clients.png", "#results", False),
    ("boss", "/dashboard/", "dashboard.png", "#portfolio", False),
    ("boss", "/dashboard/#risk", "dashboard-risk.png", "#table-risk", False),
    ("boss", "/dashboard/#pay", "dashboard-pay.png", "#table-pay", False),
    ("gabor", "/cases/workspace/", "workspace.png", "#my-day", False),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server at {url} did not start.")


def main() -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/demo.sqlite3",
        }
        for command in (["migrate", "--verbosity", "0"], ["demo"]):
            subprocess.run(  # noqa: S603 (our own manage.py)
                [python, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
            )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (our own manage.py)
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/login/")
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        sessions = {}
        for account, path, name, ready, full_page in SHOTS:
            if account not in sessions:
                context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
                page = context.new_page()
                page.goto(f"{base}/login/")
                page.fill("#id_username", account)
                page.fill("#id_password", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                sessions[account] = page
            page = sessions[account]
            page.goto(f"{base}{path}")
            page.wait_for_selector(ready)
            page.screenshot(path=str(IMAGES / name), full_page=full_page)
            print(f"wrote docs/img/{name}")
        browser.close()


if __name__ == "__main__":
    main()
