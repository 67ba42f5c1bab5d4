"""Simulated Rapport users, one class per role, for ``make loadtest`` (see docs/loadtest.md).

Every simulated user logs in once, correctly (django-axes locks a username and address out after repeated
failures): through the login form for the UI pages (a session cookie, CSRF token from the form) and through
``POST /api/v1/auth/token/`` for the API (a knox token, sent on a second, cookie-less HTTP session so the API
authenticates by the token, not by the session). Requests are named by route, not by id, so the statistics group
them. The users are the demo company's (password ``rapport-demo``); several simulated users may share a login.

Set ``LOADTEST_REPORT`` to a file path to have the run's figures written there as JSON: the work (every request
but the logins: count, failures, median and 95th percentile, throughput), the logins apart, and the server
errors (5xx) by route.
"""

import json
import os
import random
import re
import time

from locust import HttpUser, between, events, task
from locust.clients import HttpSession

PASSWORD = "rapport-demo"  # noqa: S105 (the demo company's published logins)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Fragments of the generated client names (bench.bench_client_list.SYLLABLES), short and long.
SEARCH_TERMS = ["ab", "elor", "kamo", "abel", "rita", "veluz", "Kft", "sadi", "Gábor", "mone"]

LOGINS = {"/login/", "/login/ [POST]", "/api/v1/auth/token/"}


class Tally:
    """Every request's time and outcome in three heaps: the logins (Argon2 makes each ~0.5 s of CPU, by design, once
    per simulated user), the warm-up (other requests until every simulated user has logged in, which wait behind
    the logins) and the work after it, which the criteria judge."""

    def __init__(self):
        self.times = {"work": [], "login": [], "warmup": []}
        self.failures = {"work": 0, "login": 0, "warmup": 0}
        self.started_users = 0
        self.expected_users = None
        self.server_errors: dict[str, int] = {}
        self.first = self.last = None

    def user_ready(self, environment) -> None:
        """A simulated user has logged in; once all have, the work is measured (the warm-up is kept apart)."""
        self.started_users += 1
        if self.expected_users is None and environment.runner is not None:
            self.expected_users = environment.runner.target_user_count

    @property
    def warming_up(self) -> bool:
        return self.expected_users is None or self.started_users < self.expected_users

    def add(self, request_type, name, response_time, exception=None, response=None, **kwargs):
        kind = "login" if name in LOGINS else "warmup" if self.warming_up else "work"
        self.times[kind].append(response_time)
        if exception is not None:
            self.failures[kind] += 1
        if (getattr(response, "status_code", 0) or 0) >= 500:
            key = f"{request_type} {name}"
            self.server_errors[key] = self.server_errors.get(key, 0) + 1
        if kind == "work":
            now = time.monotonic()
            self.first = self.first or now
            self.last = now

    def report(self) -> dict:
        def summary(kind):
            times = sorted(self.times[kind])
            if not times:
                return {"requests": 0, "failures": 0, "p50_ms": None, "p95_ms": None}
            return {
                "requests": len(times),
                "failures": self.failures[kind],
                "p50_ms": round(times[len(times) // 2], 1),
                "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
            }

        work = summary("work")
        seconds = (self.last - self.first) if self.first and self.last and self.last > self.first else None
        work["rps"] = round(work["requests"] / seconds, 1) if seconds else None
        return {
            "work": work,
            "warmup": summary("warmup"),
            "login": summary("login"),
            "server_errors": sum(self.server_errors.values()),
            "server_errors_by_name": self.server_errors,
        }


tally = Tally()
events.request.add_listener(tally.add)


@events.quitting.add_listener
def _write_report(environment, **kwargs):
    path = os.environ.get("LOADTEST_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as report:
            json.dump(tally.report(), report)


class RapportUser(HttpUser):
    """A logged-in person: ``self.client`` carries the web session, ``self.api`` the API token."""

    abstract = True
    wait_time = between(1, 3)
    usernames: tuple[str, ...] = ()

    def on_start(self):
        self.username = random.choice(self.usernames)
        try:
            self._login_ui()
            self._login_api()
            self.setup()
        finally:
            tally.user_ready(self.environment)

    def setup(self):
        """Read what the user's tasks need (ids), after logging in."""

    def _login_ui(self):
        page = self.client.get("/login/", name="/login/")
        match = CSRF_INPUT.search(page.text)
        with self.client.post(
            "/login/",
            data={
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": match.group(1) if match else "",
                "next": "/",
            },
            name="/login/ [POST]",
            catch_response=True,
        ) as response:
            if response.url.rstrip("/").endswith("/login") or "sessionid" not in self.client.cookies:
                response.failure(f"login of {self.username} failed")

    def _login_api(self):
        self.api = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self, pool_manager=None
        )
        response = self.api.post(
            "/api/v1/auth/token/", json={"username": self.username, "password": PASSWORD}, name="/api/v1/auth/token/"
        )
        token = response.json().get("token") if response.ok else None
        self.api.headers["Authorization"] = f"Token {token}"

    def open_case(self, subject: str, description: str, category: str) -> None:
        """Open a case through the API for one of the clients this user sees."""
        if self.client_ids:
            payload = {"client": random.choice(self.client_ids), "subject": subject, "description": description}
            self.api.post("/api/v1/cases/", json={**payload, "category": category}, name="/api/v1/cases/ [POST]")

    def api_ids(self, path: str, name: str, **params) -> list[int]:
        """The ids on one page of an API list (empty when the call failed)."""
        response = self.api.get(path, params=params, name=name)
        if not response.ok:
            return []
        return [row["id"] for row in response.json().get("results", [])]


class Management(RapportUser):
    """Management: the dashboard, the whole client registry (filters, search, detail), cases, the API."""

    weight = 3
    usernames = ("boss",)

    def setup(self):
        groups = self.api.get("/api/v1/client-groups/", name="/api/v1/client-groups/")
        self.group_ids = [g["id"] for g in groups.json()["results"]] if groups.ok else []
        self.client_ids = self.api_ids("/api/v1/clients/", "/api/v1/clients/?filters", status="active")

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/", name="/dashboard/")

    @task(4)
    def client_list_filtered(self):
        params = {"status": random.choice(["active", "prospect", "former"])}
        if self.group_ids and random.random() < 0.5:
            params["group"] = random.choice(self.group_ids)
        if random.random() < 0.3:
            params["page"] = random.randint(2, 20)
        self.client.get("/clients/", params=params, name="/clients/?filters")

    @task(3)
    def client_search(self):
        self.client.get("/clients/", params={"q": random.choice(SEARCH_TERMS)}, name="/clients/?q")

    @task(3)
    def client_detail(self):
        if self.client_ids:
            self.client.get(f"/clients/{random.choice(self.client_ids)}/", name="/clients/{id}/")

    @task(2)
    def case_list(self):
        self.client.get("/cases/", name="/cases/")

    @task(1)
    def manager_list(self):
        self.client.get("/managers/", name="/managers/")

    @task(3)
    def api_client_list(self):
        params = {"status": "active", "kind": random.choice(["legal_entity", "individual"])}
        if random.random() < 0.5:
            params["q"] = random.choice(SEARCH_TERMS)
        self.client_ids = self.api_ids("/api/v1/clients/", "/api/v1/clients/?filters", **params) or self.client_ids

    @task(1)
    def api_client_browse(self):
        """Page through the registry as an integration does: by the next links (a cursor, no OFFSET)."""
        url = "/api/v1/clients/?page=1"
        for _ in range(3):
            response = self.api.get(url, name="/api/v1/clients/?page")
            url = response.json().get("next") if response.ok else None
            if not url:
                break

    @task(2)
    def api_client_detail(self):
        if self.client_ids:
            self.api.get(f"/api/v1/clients/{random.choice(self.client_ids)}/", name="/api/v1/clients/{id}/")

    @task(1)
    def api_case_create(self):
        self.open_case("Invoice question", "The client asks about last month's invoice.", "billing")


class ClientManagerUser(RapportUser):
    """A personal client manager: their own clients, their cases, and logging contacts through the API."""

    weight = 4
    usernames = ("anna", "bence", "csilla", "daniel", "eszter")

    def setup(self):
        self.client_ids = self.api_ids("/api/v1/clients/", "/api/v1/clients/", page_size=200)

    @task(4)
    def own_clients(self):
        self.client.get("/clients/", name="/clients/")

    @task(2)
    def own_client_search(self):
        self.client.get("/clients/", params={"q": random.choice(SEARCH_TERMS)}, name="/clients/?q")

    @task(4)
    def client_detail(self):
        if self.client_ids:
            self.client.get(f"/clients/{random.choice(self.client_ids)}/", name="/clients/{id}/")

    @task(2)
    def cases(self):
        self.client.get("/cases/", name="/cases/")

    @task(1)
    def interactions(self):
        self.client.get("/cases/interactions/", name="/cases/interactions/")

    @task(1)
    def pipeline(self):
        self.client.get("/pipeline/", name="/pipeline/")

    @task(3)
    def api_interaction_create(self):
        if self.client_ids:
            self.api.post(
                "/api/v1/interactions/",
                json={
                    "client": random.choice(self.client_ids),
                    "channel": random.choice(["call", "email", "meeting"]),
                    "summary": "Talked through the next quarter's order.",
                },
                name="/api/v1/interactions/ [POST]",
            )

    @task(1)
    def api_case_create(self):
        self.open_case("Delivery delayed", "The client reports a delayed delivery.", "complaint")


class Payroll(RapportUser):
    """Payroll: the pay periods and their statements."""

    weight = 1
    usernames = ("payroll",)

    def setup(self):
        self.period_ids = self.api_ids("/api/v1/pay/periods/", "/api/v1/pay/periods/")

    @task(3)
    def periods(self):
        self.client.get("/pay/", name="/pay/")

    @task(3)
    def period_detail(self):
        if self.period_ids:
            self.client.get(f"/pay/periods/{random.choice(self.period_ids)}/", name="/pay/periods/{id}/")

    @task(2)
    def api_periods(self):
        self.period_ids = self.api_ids("/api/v1/pay/periods/", "/api/v1/pay/periods/") or self.period_ids

    @task(1)
    def managers(self):
        self.client.get("/managers/", name="/managers/")


class HR(RapportUser):
    """HR: the hiring overview, candidates, trainings and the manager list."""

    weight = 1
    usernames = ("hr",)

    @task(2)
    def overview(self):
        self.client.get("/hr/", name="/hr/")

    @task(2)
    def candidates(self):
        self.client.get("/hr/candidates/", name="/hr/candidates/")

    @task(1)
    def trainings(self):
        self.client.get("/hr/trainings/", name="/hr/trainings/")

    @task(2)
    def managers(self):
        self.client.get("/managers/", name="/managers/")

    @task(2)
    def api_candidates(self):
        self.api.get("/api/v1/hr/candidates/", name="/api/v1/hr/candidates/")
