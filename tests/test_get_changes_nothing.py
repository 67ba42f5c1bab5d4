"""No state change on GET: every URL of the site, opened with GET by a superuser and by an anonymous visitor on a
small seeded database, leaves every table as it was (sessions aside: they are the visitor's own bookkeeping).

The public rating page is among them: opening a rating link must not use it up.
"""

import hashlib
import itertools

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rapport.accounts.roles import Role
from rapport.core.testing import (
    make_assignment,
    make_case,
    make_client,
    make_group,
    make_interaction,
    make_opportunity,
    make_user,
)

pytestmark = pytest.mark.django_db

# Written by the session machinery on any request (the last-seen time), not by the page.
BOOKKEEPING_TABLES = {"django_session", "accounts_usersession"}


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table (but bookkeeping), by table."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - BOOKKEEPING_TABLES):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected names)
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return result


def routes(skipped: list):
    """(full name, converters by kwarg, default kwargs) of every named URL pattern."""
    found = []

    def walk(resolver: URLResolver, namespace: str, converters: dict):
        for entry in resolver.url_patterns:
            pattern = entry.pattern
            own = dict(getattr(pattern, "converters", {}))
            for group in pattern.regex.groupindex:
                own.setdefault(group, None)
            if pattern.regex.groups > len(pattern.regex.groupindex):
                if isinstance(entry, URLPattern) and entry.name and entry.name.endswith("_simple_history"):
                    found.append((namespace + entry.name, {"object_id": None, "history_id": None}, {}))
                else:
                    skipped.append(str(pattern))  # positional groups: not reversible by name
                continue
            if isinstance(entry, URLResolver):
                child_ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, child_ns, {**converters, **own})
            elif isinstance(entry, URLPattern) and entry.name:
                found.append((namespace + entry.name, {**converters, **own}, entry.default_args))

    walk(get_resolver(), "", {})
    return found


@pytest.fixture
def world(management):
    return build_walk_world(management)


def build_walk_world(management) -> dict:
    """One of most things: clients, a manager, assignment, case, interaction, opportunity, a sent rating link,
    pay (plan, period, statements), HR (template, job description, profile, position, candidate, contract)."""
    from rapport.compensation.tests.support import build_world
    from rapport.feedback.tests.factories import make_resolved_case, make_sent_request
    from rapport.hiring.tests import support as hiring

    pay = build_world(management)
    group = make_group("Retail")
    client = make_client(name="Walk Kft.", group=group, email="walk@example.com")
    make_assignment(client, pay.anna, actor=management)
    make_case(client, handler=pay.anna)
    make_interaction(client, pay.anna)
    make_opportunity(client, pay.anna)
    rating_request, token = make_sent_request(case=make_resolved_case(client=client, manager=pay.anna))
    hr_user = hiring.make_hr()
    hiring.make_job(hr_user)
    position = hiring.make_position(hiring.make_profile())
    candidate = hiring.make_candidate(hr_user, position=position)
    hiring.make_assessment(candidate, hr_user)
    hiring.make_contract(pay.bence, hr_user)
    return {"token": token, "rating_request": rating_request, "pay": pay}


def seeded_ids() -> list[int]:
    """The primary keys in use in the domain tables, smallest first (a handful on a small database)."""
    ids = set()
    for model in apps.get_models():
        if model._meta.app_label in {
            "clients",
            "managers",
            "assignment",
            "pipeline",
            "cases",
            "feedback",
            "compensation",
            "hiring",
        } and model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField"):
            ids.update(model.objects.values_list("pk", flat=True)[:20])
    return sorted(ids)[:8]


def admin_model(name: str):
    """The model of ``admin:<app>_<model>_<view>``."""
    for model in admin.site._registry:
        if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def admin_object_id(name: str) -> str | None:
    """For ``admin:<app>_<model>_<view>``, the primary key of an object of that model."""
    model = admin_model(name)
    pk = None if model is None else model._default_manager.values_list("pk", flat=True).first()
    return None if pk is None else str(pk)


def urls_of(name, converters, defaults, ids, token):
    """Every URL to try for one pattern."""
    names = [kwarg for kwarg in converters if kwarg not in defaults]
    if not names:
        yield reverse(name)
        return
    choices = []
    for kwarg in names:
        if kwarg == "token":
            choices.append([token, "not-a-token"])
        elif kwarg == "format":
            choices.append(["json"])
        elif kwarg == "app_label":
            choices.append(sorted({model._meta.app_label for model in admin.site._registry}))
        elif kwarg == "object_id":
            object_id = admin_object_id(name)
            choices.append([object_id] if object_id else [])
        elif kwarg == "content_type_id":
            choices.append([1])
        elif kwarg in ("action", "slug"):
            choices.append(["acknowledge", "resolve", "close"])
        else:  # pk and friends: the ids in use (one value each beyond the first kwarg, to stay small)
            choices.append(ids if len(choices) == 0 else ids[:3])
    if "history_id" in names:  # django-simple-history's admin view of one past version: positional
        object_id = admin_object_id(name)
        model = admin_model(name)
        if object_id is not None and hasattr(model, "history"):
            history_id = model.history.filter(pk=object_id).values_list("history_id", flat=True).first()
            if history_id is not None:
                yield reverse(name, args=[object_id, history_id])
        return
    for values in itertools.product(*choices):
        yield reverse(name, kwargs=dict(zip(names, values, strict=True)))


def test_get_changes_nothing_for_a_superuser_or_an_anonymous_visitor(world):
    superuser = make_user(Role.ADMIN, username="root", is_superuser=True, is_staff=True)
    signed_in = Browser(raise_request_exception=False)
    signed_in.force_login(superuser)
    anonymous = Browser(raise_request_exception=False)
    ids = seeded_ids()
    before = fingerprint()
    tried, shown, failed, skipped = 0, 0, [], []
    for name, converters, defaults in routes(skipped):
        urls = list(urls_of(name, converters, defaults, ids, world["token"]))
        for url in urls:
            for who, browser in (("superuser", signed_in), ("anonymous", anonymous)):
                response = browser.get(url)
                tried += 1
                shown += who == "superuser" and response.status_code == 200
                if response.status_code >= 500:
                    failed.append(f"{who} GET {url}: {response.status_code}")
        after = fingerprint()
        changed = sorted(table for table in after if after[table] != before.get(table))
        assert not changed, f"GET {name} {urls} changed {changed}"
    print(f"GET walk: {tried} requests, {shown} pages shown to the superuser, skipped {skipped}")
    assert tried > 300
    assert shown > 150
    assert len(skipped) < 10, skipped
    assert not failed, failed
    # and the rating link still works after being opened
    world["rating_request"].refresh_from_db()
    assert world["rating_request"].used_at is None
    assert anonymous.get(reverse("feedback:rate", kwargs={"token": world["token"]})).status_code == 200


def test_logout_does_not_work_with_get(management):
    browser = Browser()
    browser.force_login(management)
    assert browser.get("/logout/").status_code == 405
    assert browser.get("/clients/").status_code == 200
