"""``manage.py ratings send-pending``: sends what never went out, recent enough; a failure does not stop the rest."""

import datetime
import io
import smtplib
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from rapport.core.testing import make_client
from rapport.feedback import services
from rapport.feedback.models import RatingRequest
from rapport.feedback.tests.factories import make_request, make_resolved_case, make_sent_request

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ratings", "send-pending", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def pending(mailoutbox):
    """Two unsent requests, one unsent but too old, one already sent."""
    fresh = [make_request(case=make_resolved_case(make_client(email=f"c{n}@example.com"))) for n in range(2)]
    old = make_request(created_at=timezone.now() - datetime.timedelta(days=31))
    make_sent_request()
    mailoutbox.clear()
    return fresh, old


def test_sends_every_pending_request(pending, mailoutbox):
    _fresh, old = pending
    out, err = run()
    assert out == "Sent 2 rating request(s); 0 failed.\n" and err == ""
    assert sorted(m.to[0] for m in mailoutbox) == ["c0@example.com", "c1@example.com"]
    assert set(RatingRequest.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)) == {old.pk}
    # when run again / then nothing is left to send
    assert run()[0] == "Sent 0 rating request(s); 0 failed.\n"


def test_dry_run_sends_nothing(pending, mailoutbox):
    out, _err = run("--dry-run")
    assert out == "Would send 2 rating request(s).\n"
    assert mailoutbox == []
    assert RatingRequest.objects.filter(sent_at__isnull=True).count() == 3


def test_a_failed_send_is_reported_and_the_others_still_go_out(pending, mailoutbox):
    fresh, _old = pending
    real_send = services.send_mail

    def flaky(subject, body, sender, recipients, **kwargs):
        if recipients == ["c0@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"c0@example.com": (550, b"No such user")})
        return real_send(subject, body, sender, recipients, **kwargs)

    with mock.patch("rapport.feedback.services.send_mail", side_effect=flaky):
        out, err = run()
    assert out == "Sent 1 rating request(s); 1 failed.\n"
    assert err.startswith(f"Rating request {fresh[0].pk} failed: ")
    assert [m.to for m in mailoutbox] == [["c1@example.com"]]
    # and the failed one stays pending, with no link stored
    failed = RatingRequest.objects.get(pk=fresh[0].pk)
    assert (failed.sent_at, failed.token_hash, failed.expires_at) == (None, None, None)


def test_a_failed_background_send_is_left_for_the_command(django_capture_on_commit_callbacks, mailoutbox):
    # given the mail server is down when a case asks for its rating
    case = make_resolved_case(make_client(email="c@example.com"))
    with (
        mock.patch("rapport.feedback.services.send_mail", side_effect=ConnectionRefusedError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request = services.rating_request_for_case(case=case)
    # then the request waits, unsent, and the command sends it later
    request.refresh_from_db()
    assert request.sent_at is None and mailoutbox == []
    assert run()[0] == "Sent 1 rating request(s); 0 failed.\n"
    assert [m.to for m in mailoutbox] == [["c@example.com"]]
