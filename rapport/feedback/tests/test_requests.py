"""Asking for ratings: one request per case, one per client in the interval, the rating belongs to the manager
who did the work, and the e-mail speaks the client's language."""

import datetime
import re
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from rapport.cases.choices import CaseEventKind, CaseStatus
from rapport.cases.models import CaseEvent
from rapport.core.testing import make_client, make_interaction, make_manager
from rapport.feedback import services
from rapport.feedback.choices import RequestSubject
from rapport.feedback.models import RatingRequest
from rapport.feedback.tests.factories import make_request, make_resolved_case, make_sent_request, token_of

pytestmark = pytest.mark.django_db


def test_a_resolved_case_asks_its_client_once_and_the_email_goes_out_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    # given a resolved case of a client with an e-mail address
    anna = make_manager(user=None)
    case = make_resolved_case(make_client(email="buyer@example.com", language="hu"), anna, subject="Wrong invoice")
    # when the rating is asked for
    with django_capture_on_commit_callbacks(execute=True):
        request = services.rating_request_for_case(case=case, actor=anna.user)
        # then nothing is sent before the commit
        assert mailoutbox == []
    # then one request about the case, for the manager who resolved it, in the client's language
    assert (request.subject, request.case, request.manager, request.email, request.language) == (
        RequestSubject.CASE,
        case,
        anna,
        "buyer@example.com",
        "hu",
    )
    # and the e-mail went out with a working link
    assert [m.to for m in mailoutbox] == [["buyer@example.com"]]
    assert "Wrong invoice" in mailoutbox[0].body
    link = re.search(r"http\S+/ratings/rate/\S+/", mailoutbox[0].body).group(0)
    assert services.link_lookup(token_of(link)).request == request
    # and the case's timeline shows the request, credited to the manager
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.RATING_REQUESTED)
    assert (event.actor, event.manager) == (anna.user, anna)


def test_one_request_per_case_even_when_reopened_and_resolved_again(settings):
    # given a case that was asked about (and no interval at all between requests)
    settings.RAPPORT = {**settings.RAPPORT, "RATING_MIN_DAYS_BETWEEN": 0}
    case = make_resolved_case()
    first = services.rating_request_for_case(case=case)
    # when it is reopened and resolved again
    case.status, case.reopen_count = CaseStatus.IN_PROGRESS, 1
    case.save()
    case.status, case.resolved_at = CaseStatus.RESOLVED, timezone.now()
    case.save()
    again = services.rating_request_for_case(case=case)
    # then no second request
    assert first is not None and again is None
    assert list(RatingRequest.objects.values_list("case", flat=True)) == [case.pk]


def test_a_client_is_asked_at_most_once_in_the_interval_across_cases_and_interactions(settings):
    settings.RAPPORT = {**settings.RAPPORT, "RATING_MIN_DAYS_BETWEEN": 30}
    client = make_client(email="c@example.com")
    manager = make_manager()
    # given a request about a case today
    assert services.rating_request_for_case(case=make_resolved_case(client, manager)) is not None
    # when an interaction and another case follow / then neither asks again
    assert services.rating_request_for_interaction(interaction=make_interaction(client, manager)) is None
    assert services.rating_request_for_case(case=make_resolved_case(client, manager)) is None
    # and another client is asked as usual
    other = make_client(email="d@example.com")
    assert services.rating_request_for_interaction(interaction=make_interaction(other, manager)) is not None
    assert RatingRequest.objects.count() == 2


def test_the_interval_ends(settings):
    settings.RAPPORT = {**settings.RAPPORT, "RATING_MIN_DAYS_BETWEEN": 30}
    client, manager = make_client(email="c@example.com"), make_manager()
    make_request(case=make_resolved_case(client, manager), created_at=timezone.now() - datetime.timedelta(days=31))
    request = services.rating_request_for_interaction(interaction=make_interaction(client, manager))
    assert request is not None and request.subject == RequestSubject.INTERACTION


def test_no_email_address_no_request():
    case = make_resolved_case(make_client(email=""))
    interaction = make_interaction(make_client(email=""), make_manager())
    assert services.rating_request_for_case(case=case) is None
    assert services.rating_request_for_interaction(interaction=interaction) is None
    assert RatingRequest.objects.count() == 0
    assert not CaseEvent.objects.filter(kind=CaseEventKind.RATING_REQUESTED).exists()


def test_an_unresolved_case_asks_nothing():
    case = make_resolved_case(status=CaseStatus.IN_PROGRESS, resolution="", resolved_at=None, resolved_by=None)
    assert services.rating_request_for_case(case=case) is None


def test_the_rating_belongs_to_the_manager_who_resolved_the_case(mailoutbox):
    # given a case handled by Bence but resolved by Anna, later handed to Csilla
    anna, bence, csilla = make_manager(), make_manager(), make_manager()
    case = make_resolved_case(make_client(email="c@example.com"), anna, handler=bence)
    request = services.rating_request_for_case(case=case)
    case.handler = csilla
    case.save()
    # when the client rates
    link = services.rating_request_send(request=request)
    rating = services.rating_submit(token=token_of(link), stars=5)
    # then the rating is Anna's, and the case timeline credits her
    assert (rating.manager, rating.client) == (anna, case.client)
    assert CaseEvent.objects.get(kind=CaseEventKind.RATED).manager == anna
    assert CaseEvent.objects.get(kind=CaseEventKind.RATED).data == {"stars": 5}


def test_the_rating_of_an_interaction_belongs_to_its_manager(mailoutbox):
    dora = make_manager()
    request = services.rating_request_for_interaction(interaction=make_interaction(make_client(email="c@e.hu"), dora))
    rating = services.rating_submit(token=token_of(services.rating_request_send(request=request)), stars=2)
    assert rating.manager == dora
    assert not CaseEvent.objects.filter(kind=CaseEventKind.RATED).exists()


@pytest.mark.parametrize(
    ("language", "date_pattern"),
    [
        # Django's own locale data: Hungarian "2026. december 27.", Russian day, month in the genitive, year
        ("hu", r"\d{4}\. [a-záéíóöőúüű]+ \d{1,2}\."),
        ("ru", r"\d{1,2} [а-яё]+ \d{4} г\."),
    ],
)
def test_the_email_is_written_in_the_clients_language(mailoutbox, language, date_pattern):
    # given a client who reads Hungarian (or Russian)
    case = make_resolved_case(make_client(email="c@example.com", language=language), subject="Szállítás késik")
    request = make_request(case=case)
    languages = []

    def spy(*args, **kwargs):
        languages.append(translation.get_language())
        return render_to_string(*args, **kwargs)

    # when the e-mail is sent
    with mock.patch("rapport.feedback.services.render_to_string", side_effect=spy):
        link = services.rating_request_send(request=request)
    request.refresh_from_db()
    body = mailoutbox[0].body
    # then it was rendered in the client's language, and the language of the sender is back afterwards
    assert languages == [language]
    assert translation.get_language() == "en"
    # and the expiry date is written the way that language writes dates (from Django's own locale data)
    with translation.override(language):
        until = formats.date_format(timezone.localtime(request.expires_at), "DATE_FORMAT")
    assert re.fullmatch(date_pattern, until)
    assert until in body
    # and the e-mail holds the link and what is being rated
    assert link in body and "Szállítás késik" in body
    # and the subject is the catalog's text for that language (English until the catalog has it)
    with translation.override(language):
        expected = translation.gettext("How did %(manager)s do? Rate your manager") % {"manager": request.manager.name}
    assert mailoutbox[0].subject == expected


def test_an_english_email_writes_english_dates(mailoutbox):
    request = make_request(case=make_resolved_case(make_client(email="c@example.com", language="en")))
    services.rating_request_send(request=request)
    request.refresh_from_db()
    until = formats.date_format(timezone.localtime(request.expires_at), "DATE_FORMAT")
    assert re.fullmatch(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", until)
    assert until in mailoutbox[0].body


def test_an_interaction_email_names_the_channel_and_date(mailoutbox):
    interaction = make_interaction(
        make_client(email="c@example.com"),
        make_manager(),
        occurred_at=datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC),
    )
    make_sent_request(interaction=interaction)
    assert "Call, March 4, 2026" in mailoutbox[0].body
