"""Concurrent work on a case: a lifecycle action based on an older version of the case (If-Match, or the case
page's forms) answers 409 with what changed and changes nothing; taken again on the current version it goes
through."""

import pytest
from django.test import Client as Browser
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.accounts.roles import Role
from rapport.cases import services
from rapport.cases.lifecycle import Action
from rapport.cases.models import Case
from rapport.core.concurrency import version_of
from rapport.core.testing import make_case, make_client, make_manager, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    """The case's handler."""
    return make_manager(user=make_user(Role.CLIENT_MANAGER, first_name="Anna", last_name="Nagy"))


def test_a_stale_reassign_through_the_api_is_refused_with_the_changes(management, anna):
    # given a new case of Anna's that Management read, then Anna acknowledged it
    case = make_case(make_client(name="Alpha Kft."), handler=anna)
    other = make_manager()
    api = APIClient()
    api.force_authenticate(management)
    etag = api.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    assert etag == f'"{version_of(case)}"'
    services.case_transition(
        case=case, actor=anna.user, action=Action.ACKNOWLEDGE, problem_statement="The invoice is wrong."
    )
    acknowledged = Case.objects.get(pk=case.pk)
    # when Management reassigns it based on the version read
    response = api.post(f"/api/v1/cases/{case.pk}/reassign/", {"handler": other.pk}, format="json", HTTP_IF_MATCH=etag)
    # then 409 lists Anna's changes and the case keeps its handler
    assert response.status_code == 409
    when = timezone.localtime(acknowledged.updated_at).isoformat()
    assert response.json()["changes"] == [
        {"field": "status", "current": "acknowledged", "changed_by": "Anna Nagy", "changed_at": when},
        {
            "field": "problem_statement",
            "current": "The invoice is wrong.",
            "changed_by": "Anna Nagy",
            "changed_at": when,
        },
    ]
    assert Case.objects.get(pk=case.pk).handler == anna
    # when sent again with the current version / then the case is reassigned
    again = api.post(
        f"/api/v1/cases/{case.pk}/reassign/", {"handler": other.pk}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert again.status_code == 200
    assert Case.objects.get(pk=case.pk).handler == other


def test_a_stale_action_on_the_case_page_shows_what_changed(management, anna):
    # given Management opened the page of a new case, then Anna acknowledged it
    case = make_case(make_client(name="Alpha Kft."), handler=anna)
    other = make_manager()
    b = Browser()
    b.force_login(management)
    page = b.get(f"/cases/{case.pk}/")
    assert f'name="version" value="{version_of(case)}"' in page.content.decode()
    services.case_transition(
        case=case, actor=anna.user, action=Action.ACKNOWLEDGE, problem_statement="The invoice is wrong."
    )
    # when Management reassigns from the page opened before
    data = {"reassign-handler": other.pk, "reassign-note": "Anna is away.", "version": page.context["version"]}
    response = b.post(f"/cases/{case.pk}/reassign/", data)
    # then 409: the page lists Anna's changes, keeps the note, and the case keeps its handler
    assert response.status_code == 409
    assert [(c.label, c.display_current, str(c.changed_by)) for c in response.context["stale"].changes] == [
        ("Status", "Acknowledged", "Anna Nagy"),
        ("Problem statement", "The invoice is wrong.", "Anna Nagy"),
    ]
    forms = dict(response.context["forms"])
    assert forms[Action.REASSIGN]["note"].value() == "Anna is away."
    assert Case.objects.get(pk=case.pk).handler == anna
    # when reassigned again from the refreshed page / then it goes through
    again = b.post(f"/cases/{case.pk}/reassign/", {**data, "version": response.context["version"]})
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).handler == other
