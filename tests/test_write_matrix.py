"""The write permission matrix, generated: every role × every state-changing route of every interface.

Routes are found, not listed: every page of the site (POSTed as a form), every operation of the API with an
unsafe method (the viewset's own method map, or the view's handlers), and the admin's add, change and delete
views of every registered model. Object routes get the id of the object of their model in a small seeded
company that belongs to the first manager (Anna); the second manager (Bence) is the "other manager".

Each request runs inside a savepoint that is rolled back afterwards, so every role meets the same data. For each
answer:

- a refusal (401, 403, 404, 405, 409, 429, a redirect to the login page) or an invalid request (400, or a form
  shown again with 200) must leave every table as it was — checked with a digest of every row;
- an anonymous visitor never gets further than the login page on any route but the public ones;
- the status every role gets on every route must equal the reviewed table in ``write_matrix.json``. A new route
  or a changed permission makes the test fail with the difference; after review, regenerate the table with
  ``RAPPORT_WRITE_MATRIX=update pytest tests/test_write_matrix.py``.
"""

import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client as Browser
from django.urls import resolve, reverse
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.core.testing import make_user
from tests.test_get_changes_nothing import admin_model, build_walk_world, fingerprint, routes

pytestmark = pytest.mark.django_db

EXPECTED_FILE = Path(__file__).with_name("write_matrix.json")
ROLES = ("anonymous", "admin", "management", "owner", "other_manager", "hr", "payroll")
UNSAFE = ("post", "put", "patch", "delete")
# Public by design: signing in, choosing a language, a client's own links (rating, consents), obtaining a token.
PUBLIC = {"login", "set_language", "feedback:rate", "consent:mine", "api-token"}
# Ending the caller's own session or tokens is the caller's own business and would sign the role out mid-walk.
OWN_SESSION = {"logout", "api-token-revoke", "api-token-revoke-all"}
DENIED = {401, 403, 404, 405, 409, 429}

# The model a page's ``pk`` (or other id) names. Pages are plain functions, so their model is declared here; a
# page with an id that is missing from this table fails the test (declare it, so its permissions are walked).
PAGE_MODELS = {
    "clients:detail": "clients.Client",
    "clients:edit": "clients.Client",
    "clients:group_edit": "clients.ClientGroup",
    "managers:detail": "managers.ClientManager",
    "managers:edit": "managers.ClientManager",
    "assignment:assign": "clients.Client",
    "assignment:unassign": "clients.Client",
    "assignment:plan": "assignment.AssignmentPlan",
    "assignment:plan_apply": "assignment.AssignmentPlan",
    "assignment:plan_discard": "assignment.AssignmentPlan",
    "assignment:depart": "managers.ClientManager",
    "assignment:leave": "managers.ClientManager",
    "pipeline:detail": "pipeline.Opportunity",
    "pipeline:move": "pipeline.Opportunity",
    "pipeline:undo_win": "pipeline.Opportunity",
    "cases:detail": "cases.Case",
    "cases:transition": "cases.Case",
    "feedback:manager": "managers.ClientManager",
    "compensation:period": "compensation.PayPeriod",
    "compensation:period_calculate": "compensation.PayPeriod",
    "compensation:period_approve": "compensation.PayPeriod",
    "compensation:period_csv": "compensation.PayPeriod",
    "compensation:period_xlsx": "compensation.PayPeriod",
    "compensation:statement": "compensation.Statement",
    "compensation:statement_pdf": "compensation.Statement",
    "compensation:line_query": "compensation.Statement",
    "compensation:line_override": "compensation.Statement",
    "compensation:query_answer": "compensation.LineQuery",
    "compensation:plan": "compensation.CompensationPlan",
    "compensation:plan_edit": "compensation.CompensationPlan",
    "compensation:version_create": "compensation.CompensationPlan",
    "compensation:version_edit": "compensation.PlanVersion",
    "compensation:manager_plan_set": "managers.ClientManager",
    "compensation:band_edit": "compensation.SalaryBand",
    "hiring:template": "hiring.JobDescriptionTemplate",
    "hiring:template_edit": "hiring.JobDescriptionTemplate",
    "hiring:job": "hiring.JobDescription",
    "hiring:job_edit": "hiring.JobDescription",
    "hiring:job_issue": "hiring.JobDescription",
    "hiring:version": "hiring.JobDescription",
    "hiring:version_pdf": "hiring.JobDescription",
    "hiring:profile": "hiring.RequirementProfile",
    "hiring:profile_edit": "hiring.RequirementProfile",
    "hiring:position": "hiring.Position",
    "hiring:position_edit": "hiring.Position",
    "hiring:candidate": "hiring.Candidate",
    "hiring:candidate_edit": "hiring.Candidate",
    "hiring:assess": "hiring.Candidate",
    "hiring:evaluate": "hiring.Candidate",
    "hiring:evaluation": "hiring.Candidate",
    "hiring:candidate_status": "hiring.Candidate",
    "hiring:client_base": "hiring.Candidate",
    "hiring:hire": "hiring.Candidate",
    "hiring:anonymise": "hiring.Candidate",
    "hiring:contract": "hiring.EmploymentContract",
    "hiring:contract_amend": "hiring.EmploymentContract",
    "hiring:contract_end": "hiring.EmploymentContract",
    "hiring:contract_create": "managers.ClientManager",
    "hiring:manager": "managers.ClientManager",
    "hiring:training": "hiring.Training",
    "hiring:training_edit": "hiring.Training",
    "hiring:participant_add": "hiring.Training",
    "hiring:participant": "hiring.Training",
    "dataio:job": "dataio.ImportJob",
    "dataio:map": "dataio.ImportJob",
    "dataio:confirm": "dataio.ImportJob",
    "privacy:client_export": "clients.Client",
    "privacy:client_erase": "clients.Client",
    "manager-depart": "managers.ClientManager",
    "clients:delete": "clients.Client",
    "clients:restore": "clients.Client",
    "clients:deleted_export": "clients.Client",
    "managers:delete": "managers.ClientManager",
    "cases:delete": "cases.Case",
    "consent:client": "clients.Client",
    "consent:record": "clients.Client",
    "consent:send_link": "clients.Client",
}
# Second ids in a path: the child of the object the first id names.
CHILD_IDS = {
    "number": lambda parent: 1,
    "evaluation": lambda parent: parent.evaluations.values_list("pk", flat=True).first(),
    "participant": lambda parent: parent.participants.values_list("pk", flat=True).first(),
}


@pytest.fixture
def company(management):
    """The walk's company, plus what it lacks for the write routes: a draft assignment plan, a training with a
    participant, a query on Anna's statement and an import job."""
    import datetime

    from rapport.assignment.plans import assignment_plan_create
    from rapport.compensation import services as pay_services
    from rapport.compensation.models import Statement
    from rapport.dataio.services import import_job_create
    from rapport.hiring.training import participant_add
    from rapport.hiring.training_models import Training

    world = build_walk_world(management)
    pay = world["pay"]
    assignment_plan_create(actor=management, note="walk")
    training = Training.objects.create(
        title="Negotiation",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 3),
        created_by=pay.hr,
    )
    participant_add(actor=pay.hr, training=training, manager=pay.anna)
    statement = Statement.objects.get(manager=pay.anna)
    pay_services.line_query_create(actor=pay.anna.user, statement=statement, kind="base", comment="Why?")
    import_job_create(actor=management, kind="clients", filename="clients.csv", data=b"name\nImported Kft.\n")
    users = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN, username="walk-admin", is_staff=True),
        "management": management,
        "owner": pay.anna.user,
        "other_manager": pay.bence.user,
        "hr": pay.hr,
        "payroll": pay.payroll,
    }
    return world, users


def _model(label: str):
    return apps.get_model(label)


def _first_pk(model):
    return model._base_manager.order_by("pk").values_list("pk", flat=True).first()


def _api_model(name: str, kwargs: dict):
    """The model behind an API route: the viewset's queryset or serializer, else the page table."""
    if name in PAGE_MODELS:
        return _model(PAGE_MODELS[name])
    probe = reverse(name, kwargs={key: 1 for key in kwargs})
    view = resolve(probe).func
    cls = getattr(view, "cls", None)
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    return getattr(meta, "model", None)


def _url(name: str, kwarg_names: list[str], model) -> str | None:
    """The route's URL for the seeded object of ``model`` (None when the company has none)."""
    if not kwarg_names:
        return reverse(name)
    if model is None:
        return None
    parent_pk = _first_pk(model)
    if parent_pk is None:
        return None
    kwargs = {}
    for key in kwarg_names:
        if key in CHILD_IDS:
            child = CHILD_IDS[key](model._base_manager.get(pk=parent_pk))
            if child is None:
                return None
            kwargs[key] = child
        elif key == "action":
            kwargs[key] = "acknowledge"
        elif key == "fmt":
            kwargs[key] = "csv"
        elif key == "key":
            kwargs[key] = "client-base"
        elif key == "kind":
            kwargs[key] = f"{model._meta.model_name}s"
        else:
            kwargs[key] = parent_pk
    return reverse(name, kwargs=kwargs)


def _api_methods(url: str) -> list[str]:
    view = resolve(url).func
    actions = getattr(view, "actions", None)
    if actions:
        return [method for method in UNSAFE if method in actions]
    cls = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return [method for method in UNSAFE if cls is not None and hasattr(cls, method)]


def write_routes() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(key, interface, url, method) of every state-changing route, and the page routes with undeclared ids."""
    found, undeclared = [], []
    for name, converters, defaults in routes([]):
        kwarg_names = [key for key in converters if key not in defaults]
        if name in OWN_SESSION:
            continue
        if name.startswith("admin:"):
            if not name.endswith(("_add", "_change", "_delete")):
                continue
            model = admin_model(name)
            if model is None:
                continue
            url = _url(name, kwarg_names, model)
            if url is not None:
                found.append((f"POST {name}", "admin", url, "post"))
            continue
        probe = {key: 1 if key != "fmt" else "csv" for key in kwarg_names}
        is_api = reverse(name, kwargs=probe or None).startswith("/api/")
        if is_api:
            if "format" in kwarg_names or name in ("api-root", "schema", "docs", "redoc"):
                continue
            model = _api_model(name, {key: None for key in kwarg_names})
            url = _url(name, kwarg_names, model)
            if url is None:
                continue
            for method in _api_methods(url):
                found.append((f"{method.upper()} {name}", "api", url, method))
            continue
        ids = [key for key in kwarg_names if key not in ("fmt", "key", "token", "action", "kind")]
        if ids and name not in PAGE_MODELS:
            undeclared.append(name)
            continue
        if "token" in kwarg_names:
            url = reverse(name, kwargs={"token": "not-a-token"})
        else:
            url = _url(name, kwarg_names, _model(PAGE_MODELS[name]) if ids else None)
        if url is not None:
            found.append((f"POST {name}", "page", url, "post"))
    return sorted(found), undeclared


class _Rollback(Exception):
    pass


def _outcome(response) -> str:
    """The status, with a redirect to the login page told apart from any other redirect."""
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(("/login/", "/admin/login/")):
            return "login"
        return str(response.status_code)
    return str(response.status_code)


def _refused(outcome: str, response) -> bool:
    if outcome == "login" or (outcome.isdigit() and int(outcome) in DENIED | {400}):
        return True
    # A page that answers a POST with 200 shows its form again with errors (or was not a write at all).
    return outcome == "200" and response.headers.get("Content-Type", "").startswith("text/html")


def _clients(users: dict) -> dict:
    """A signed-in browser and API client per role (signed in once: signing in writes the user's row)."""
    result = {}
    for role, user in users.items():
        browser = Browser(raise_request_exception=os.environ.get("RAISE") == "1")
        api = APIClient()
        if user is not None:
            browser.force_login(user)
            api.force_authenticate(user)
        result[role] = {"page": browser, "admin": browser, "api": api}
    return result


def _send(client, interface: str, method: str, url: str):
    if interface == "api":
        return getattr(client, method)(url, {}, format="json")
    return client.post(url, {})


def test_every_role_against_every_write_route(company):
    # given the company and a user per role
    _, users = company
    found, undeclared = write_routes()
    assert not undeclared, f"declare the model of these pages in PAGE_MODELS: {undeclared}"
    clients = _clients(users)
    baseline = fingerprint()
    got: dict[str, dict[str, str]] = {}
    changed_on_refusal, anonymous_through, server_errors = [], [], []

    # when every role sends every write, each rolled back afterwards
    for key, interface, url, method in found:
        row = got.setdefault(key, {})
        for role in ROLES:
            try:
                with transaction.atomic():
                    response = _send(clients[role][interface], interface, method, url)
                    outcome = _outcome(response)
                    if response.status_code >= 500:
                        server_errors.append(f"{role} {key} {url}: {response.status_code}")
                    elif _refused(outcome, response):
                        after = fingerprint()
                        changed = sorted(table for table in after if after[table] != baseline.get(table))
                        if changed:
                            changed_on_refusal.append(f"{role} {key} → {outcome} changed {changed}")
                    raise _Rollback
            except _Rollback:
                pass
            row[role] = outcome
            name = key.split(" ", 1)[1]
            if role == "anonymous" and name not in PUBLIC and outcome not in ("login", "401", "403", "405"):
                anonymous_through.append(f"{key} → {outcome}")

    # then nothing failed, no refusal changed anything, and the matrix is the reviewed one
    assert not server_errors, server_errors
    assert not changed_on_refusal, changed_on_refusal
    assert not anonymous_through, anonymous_through
    assert len(found) > 150
    if os.environ.get("RAPPORT_WRITE_MATRIX") == "update":
        EXPECTED_FILE.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    differences = [
        f"{key} {role}: expected {expected.get(key, {}).get(role)}, got {outcome}"
        for key, row in sorted(got.items())
        for role, outcome in row.items()
        if expected.get(key, {}).get(role) != outcome
    ] + [f"{key}: route gone" for key in sorted(set(expected) - set(got))]
    assert not differences, "\n".join(differences)
