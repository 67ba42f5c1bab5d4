"""What consent changes elsewhere: a client who withdrew consent to satisfaction surveys is asked for no rating."""

import pytest
from django.core.exceptions import ValidationError

from rapport.consent import services
from rapport.consent.choices import PurposeCode, Source
from rapport.consent.tests.support import management
from rapport.core.testing import make_client
from rapport.feedback import services as feedback
from rapport.feedback.models import RatingRequest
from rapport.feedback.tests.factories import make_request, make_resolved_case

pytestmark = pytest.mark.django_db


def _withdraw_surveys(client):
    services.consent_record(
        client=client, purpose=PurposeCode.SATISFACTION_SURVEYS, granted=False, source=Source.PHONE, actor=management()
    )


def test_a_client_who_withdrew_consent_to_surveys_is_not_asked_for_a_rating(mailoutbox):
    # given a resolved case of a client who withdrew consent to satisfaction surveys
    case = make_resolved_case(make_client(email="buyer@example.com"))
    _withdraw_surveys(case.client)
    # when the rating would be asked for / then nothing is asked or sent
    assert feedback.rating_request_for_case(case=case) is None
    assert (RatingRequest.objects.count(), mailoutbox) == (0, [])


def test_a_client_who_gave_it_back_is_asked_again(mailoutbox):
    case = make_resolved_case(make_client(email="buyer@example.com"))
    _withdraw_surveys(case.client)
    services.consent_record(
        client=case.client,
        purpose=PurposeCode.SATISFACTION_SURVEYS,
        granted=True,
        source=Source.WRITTEN,
        actor=management(),
    )
    assert feedback.rating_request_for_case(case=case) is not None
    assert RatingRequest.objects.count() == 1


def test_a_request_made_before_the_withdrawal_is_not_sent(mailoutbox):
    # given a request not sent yet, then the client withdraws
    request = make_request()
    _withdraw_surveys(request.client)
    # when it is sent / then refused with a code; no link, no e-mail
    with pytest.raises(ValidationError) as refused:
        feedback.rating_request_send(request=request)
    assert refused.value.code == "consent_withdrawn"
    request.refresh_from_db()
    assert (request.sent_at, request.token_hash, mailoutbox) == (None, None, [])


def test_a_client_never_asked_about_surveys_is_asked_as_before(mailoutbox):
    case = make_resolved_case(make_client(email="buyer@example.com"))
    assert feedback.rating_request_for_case(case=case) is not None
