"""The version of a row and what changed since: tokens, history dates, set-based writes, the fallback without
history."""

import datetime

import pytest
from django.utils import timezone

from rapport.accounts.roles import Role
from rapport.clients import services as client_services
from rapport.clients.models import Client
from rapport.core.concurrency import StaleVersion, check_version, version_of
from rapport.core.testing import make_case, make_client, make_manager, make_opportunity, make_user
from rapport.pipeline.choices import LostReason, Stage
from rapport.pipeline.models import Opportunity
from rapport.privacy.services import erase_client

pytestmark = pytest.mark.django_db


def test_a_version_is_the_update_time_in_microseconds():
    # given a row updated at a known moment / when its version is read / then the microseconds since the epoch
    client = Client(updated_at=datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC))
    assert version_of(client) == "1767323045678901"
    assert version_of(Client()) is None


def test_a_saves_history_record_is_dated_with_the_rows_update_time(management):
    # given a client changed through the service / then its newest history record carries the row's updated_at
    client = make_client(name="Alpha Kft.")
    client_services.client_update(client=client, actor=management, data={"city": "Pécs"})
    client.refresh_from_db()
    assert client.history.latest().history_date == client.updated_at


@pytest.mark.parametrize("version", ["999999999999999999", "١٢٣", "-5", "", 'W/"1"'])
def test_a_version_that_is_not_one_of_ours_is_stale_and_reports_current_values(version):
    # given a client / when checked against a token that names no version
    client = make_client(name="Alpha Kft.", city="Pécs")
    with pytest.raises(StaleVersion) as caught:
        check_version(client, version, fields=["name", "city"], submitted={"city": "Győr"})
    # then the fields sent that differ are listed with their current values
    assert [change.as_data() for change in caught.value.changes] == [
        {
            "field": "city",
            "yours": "Győr",
            "current": "Pécs",
            "changed_by": None,
            "changed_at": client.updated_at,
        }
    ]


def test_the_current_version_or_none_passes(management):
    client = make_client(name="Alpha Kft.")
    check_version(client, None, fields=["name"])
    check_version(client, version_of(client), fields=["name"])
    check_version(client, ["1", version_of(client)], fields=["name"])


def test_changes_are_listed_per_field_with_the_last_editor(management):
    # given a client read at one version, then changed twice by two people
    anna = make_user(Role.MANAGEMENT, first_name="Anna", last_name="Nagy")
    bea = make_user(Role.MANAGEMENT, first_name="Bea", last_name="Kovács")
    client = make_client(name="Alpha Kft.", city="Pécs")
    read = version_of(client)
    client_services.client_update(client=client, actor=anna, data={"city": "Győr", "email": "a@example.com"})
    first = Client.objects.get(pk=client.pk).updated_at
    client_services.client_update(client=client, actor=bea, data={"city": "Szeged"})
    second = Client.objects.get(pk=client.pk)
    # when a write based on the version read is checked
    with pytest.raises(StaleVersion) as caught:
        check_version(second, read, fields=["name", "email", "city"], submitted={"city": "Eger"})
    # then the e-mail was last changed by Anna, the city by Bea; the city shows the value submitted
    assert [change.as_data() for change in caught.value.changes] == [
        {"field": "email", "current": "a@example.com", "changed_by": "Anna Nagy", "changed_at": first},
        {
            "field": "city",
            "yours": "Eger",
            "current": "Szeged",
            "changed_by": "Bea Kovács",
            "changed_at": second.updated_at,
        },
    ]
    assert caught.value.version == version_of(second)


def test_a_change_back_to_the_read_value_is_not_listed(management):
    # given a city changed and changed back since the version read
    client = make_client(name="Alpha Kft.", city="Pécs")
    read = version_of(client)
    client_services.client_update(client=client, actor=management, data={"city": "Győr"})
    client_services.client_update(client=client, actor=management, data={"city": "Pécs"})
    # then the write is still stale (the version moved) but no field differs
    with pytest.raises(StaleVersion) as caught:
        check_version(Client.objects.get(pk=client.pk), read, fields=["city"])
    assert caught.value.changes == []


def test_erasure_gives_the_clients_other_records_a_new_version(management):
    # given a client with a lost opportunity and a closed case, and their versions
    client = make_client(name="Alpha Kft.")
    manager = make_manager()
    opportunity = make_opportunity(
        client, manager, stage=Stage.LOST, lost_reason=LostReason.PRICE, note="Called on his mobile."
    )
    now = timezone.now()
    case = make_case(
        client,
        handler=manager,
        status="closed",
        problem_statement="Wrong invoice.",
        resolution="Credit note sent.",
        acknowledged_at=now,
        resolved_at=now,
        resolved_by=manager,
        closed_at=now,
    )
    before = (version_of(opportunity), version_of(case))
    # when the client's personal data is erased (set-based writes)
    erase_client(client=client, actor=management)
    # then both rows have a newer version, so an edit opened before is stale
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    case.refresh_from_db()
    assert opportunity.note == "[anonymised]"
    assert version_of(opportunity) > before[0]
    assert version_of(case) > before[1]
