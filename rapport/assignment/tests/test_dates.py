"""Assignment dates: no future dates, no start inside a period the client already had a manager for."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rapport.assignment.models import Assignment
from rapport.assignment.services import assignment_create, assignment_end
from rapport.core.testing import make_assignment, make_client, make_manager

pytestmark = pytest.mark.django_db


def test_future_end_date_is_refused(management):
    # given a current assignment
    client, anna = make_client(), make_manager()
    current = make_assignment(client, anna, start_date=datetime.date(2024, 1, 1))
    # when ending it next month / then refused with date_in_future, still current
    with pytest.raises(ValidationError) as exc_info:
        assignment_end(client=client, actor=management, end_date=timezone.localdate() + datetime.timedelta(days=30))
    assert exc_info.value.error_dict["end_date"][0].code == "date_in_future"
    current.refresh_from_db()
    assert current.end_date is None


def test_future_start_date_is_refused(management):
    client, anna = make_client(), make_manager()
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(
            client=client, manager=anna, actor=management, start_date=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert exc_info.value.error_dict["start_date"][0].code == "date_in_future"
    assert Assignment.objects.count() == 0


def test_start_inside_an_ended_period_is_refused_and_on_its_end_allowed(management):
    # given an assignment that ended on 2024-06-01
    client, anna, bela = make_client(), make_manager(), make_manager()
    make_assignment(client, anna, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 6, 1))
    # when starting a new one on 2024-05-31 / then refused with the date of the end
    with pytest.raises(ValidationError) as exc_info:
        assignment_create(client=client, manager=bela, actor=management, start_date=datetime.date(2024, 5, 31))
    error = exc_info.value.error_dict["start_date"][0]
    assert (error.code, error.messages) == (
        "overlaps_previous",
        ["The client had a personal manager until 2024-06-01: the new assignment cannot start earlier."],
    )
    assert Assignment.objects.filter(client=client).count() == 1
    # when starting on the end date itself (ends are exclusive) / then allowed
    created = assignment_create(client=client, manager=bela, actor=management, start_date=datetime.date(2024, 6, 1))
    assert (created.manager, created.start_date, created.end_date) == (bela, datetime.date(2024, 6, 1), None)
