"""Deactivating a user ends their web sessions and API tokens at once, whichever way it is saved."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client as Browser
from knox.models import AuthToken
from rest_framework.test import APIClient

from rapport.accounts.models import User, UserSession
from rapport.accounts.roles import Role
from rapport.core.testing import make_user

pytestmark = pytest.mark.django_db


def with_access(user):
    """Two browser sessions and two API tokens of ``user``."""
    browsers = []
    for _ in range(2):
        browser = Browser()
        browser.force_login(user)
        browsers.append(browser)
    tokens = [AuthToken.objects.create(user=user)[1] for _ in range(2)]
    return browsers, tokens


def api(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_deactivating_by_save_ends_sessions_and_tokens():
    # given a person and a colleague, each with two sessions and two tokens
    person = make_user(Role.MANAGEMENT)
    colleague = make_user(Role.MANAGEMENT)
    browsers, tokens = with_access(person)
    (colleague_browser, _), (colleague_token, _) = with_access(colleague)
    assert browsers[0].get("/clients/").status_code == 200
    # when the person is deactivated by an ordinary save
    person = User.objects.get(pk=person.pk)
    person.is_active = False
    person.save()
    # then their sessions and tokens are gone from the stores, and the colleague's are not
    assert not UserSession.objects.filter(user=person).exists()
    assert not AuthToken.objects.filter(user=person).exists()
    assert Session.objects.count() == UserSession.objects.filter(user=colleague).count() == 2
    for browser in browsers:
        assert browser.get("/clients/").status_code == 302
    for token in tokens:
        assert api(token).get("/api/v1/clients/").status_code in (401, 403)
    assert colleague_browser.get("/clients/").status_code == 200
    assert api(colleague_token).get("/api/v1/clients/").status_code == 200


def test_deactivation_happens_in_the_save_transaction():
    person = make_user(Role.MANAGEMENT)
    with_access(person)
    # when the save fails after the sessions were deleted / then nothing is lost: the whole change rolls back
    from django.db import DatabaseError, transaction

    person.is_active = False
    with pytest.raises(DatabaseError), transaction.atomic():
        person.save()
        raise DatabaseError("the surrounding work failed")
    assert UserSession.objects.filter(user=person).count() == 2
    assert AuthToken.objects.filter(user=person).count() == 2


def test_saving_an_inactive_user_again_or_an_active_one_changes_nothing():
    person = make_user(Role.MANAGEMENT)
    with_access(person)
    person.first_name = "Renamed"
    person.save()
    assert UserSession.objects.filter(user=person).count() == 2
    assert AuthToken.objects.filter(user=person).count() == 2


def test_deactivating_in_the_admin_change_form(admin_user):
    # given a person with sessions and tokens
    person = make_user(Role.CLIENT_MANAGER, username="leaver")
    browsers, tokens = with_access(person)
    admin = Browser()
    admin.force_login(admin_user)
    # when an administrator unticks "active" and saves the change form
    form = admin.get(f"/admin/accounts/user/{person.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "is_active": "",
            "groups": [g.pk for g in person.groups.all()],
            "user_permissions": [],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool) or v}
    response = admin.post(f"/admin/accounts/user/{person.pk}/change/", data)
    # then the admin saved it and the person's access is gone
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_active is False
    assert not UserSession.objects.filter(user=person).exists()
    assert not AuthToken.objects.filter(user=person).exists()
    assert browsers[0].get("/clients/").status_code == 302
    assert api(tokens[0]).get("/api/v1/clients/").status_code in (401, 403)
    assert admin.get("/admin/").status_code == 200


def test_deactivating_by_a_set_based_update_ends_sessions_and_tokens():
    # given two people with access, and a colleague who stays
    people = [make_user(Role.MANAGEMENT), make_user(Role.HR)]
    access = [with_access(person) for person in people]
    colleague = make_user(Role.MANAGEMENT)
    (colleague_browser, _), (colleague_token, _) = with_access(colleague)
    # when a script deactivates both with one UPDATE
    assert User.objects.filter(pk__in=[p.pk for p in people]).update(is_active=False) == 2
    # then their sessions and tokens are gone; the colleague's remain
    assert not UserSession.objects.filter(user__in=people).exists()
    assert not AuthToken.objects.filter(user__in=people).exists()
    assert Session.objects.count() == 2
    for browsers, tokens in access:
        assert [browser.get("/clients/").status_code for browser in browsers] == [302, 302]
        assert [api(token).get("/api/v1/clients/").status_code for token in tokens] == [403, 403]
    assert colleague_browser.get("/clients/").status_code == 200
    assert api(colleague_token).get("/api/v1/clients/").status_code == 200


def test_deactivating_by_bulk_update_ends_sessions_and_tokens():
    # given a person with access
    person = make_user(Role.MANAGEMENT)
    with_access(person)
    # when a script deactivates them with bulk_update
    person.is_active = False
    User.objects.bulk_update([person], ["is_active"])
    # then their access is gone
    assert not UserSession.objects.filter(user=person).exists()
    assert AuthToken.objects.filter(user=person).count() == 0


def test_an_update_that_keeps_people_active_ends_nothing():
    person = make_user(Role.MANAGEMENT)
    with_access(person)
    User.objects.filter(pk=person.pk).update(is_active=True, first_name="Ada")
    assert UserSession.objects.filter(user=person).count() == 2
    assert AuthToken.objects.filter(user=person).count() == 2
