"""Invariants of the registry models, in ``clean()`` and in the database.

Python rules are checked through ``full_clean()`` (what every form, serializer and service runs); database rules by
writing around Python, which must fail with ``IntegrityError`` and leave the table as it was.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.models import Client, ClientGroup
from rapport.core.testing import make_assignment, make_client, make_manager, make_user
from rapport.managers.choices import EmploymentStatus
from rapport.managers.models import ClientManager

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError, field: str) -> list[str]:
    return [error.code for error in exc.error_dict[field]]


def legal_entity(**fields) -> Client:
    fields.setdefault("kind", ClientKind.LEGAL_ENTITY)
    fields.setdefault("name", "Alfa Kft.")
    fields.setdefault("registration_number", "01-09-123456")
    return Client(**fields)


# ---------------------------------------------------------------------------------------------------------------
# Client: registration number
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["", "   "])
def test_legal_entity_needs_a_registration_number(number):
    # given a legal entity with a blank registration number
    client = legal_entity(registration_number=number)

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then the registration number is required, and that is the only error
    assert list(exc_info.value.error_dict) == ["registration_number"]
    assert codes(exc_info.value, "registration_number") == ["registration_number_required"]


def test_individual_needs_no_registration_number():
    # given an individual without a registration number
    client = Client(kind=ClientKind.INDIVIDUAL, name="  Kiss Péter ")

    # when it is validated / then it passes with a trimmed name
    client.full_clean()
    assert (client.name, client.registration_number) == ("Kiss Péter", "")


def test_registration_number_is_trimmed():
    # given a legal entity whose number was typed with spaces
    client = legal_entity(registration_number="  01-09-123456 ")

    # when it is validated / then the spaces are gone
    client.full_clean()
    assert client.registration_number == "01-09-123456"


def test_registration_number_is_unique_among_legal_entities():
    # given a legal entity with registration number 01-09-123456
    make_client(registration_number="01-09-123456")

    # when another legal entity with the same number is validated
    with pytest.raises(ValidationError) as exc_info:
        legal_entity(name="Beta Kft.").full_clean()

    # then it is refused as a duplicate
    assert codes(exc_info.value, "__all__") == ["duplicate_registration_number"]
    assert exc_info.value.error_dict["__all__"][0].messages == [
        "A legal entity with this registration number already exists."
    ]


def test_the_same_legal_entity_may_be_revalidated():
    # given a stored legal entity
    client = make_client(registration_number="01-09-123456")

    # when it is validated again (an edit) / then its own number is no duplicate
    client.full_clean()


@pytest.mark.parametrize(
    ("first_kind", "second_kind"),
    [
        (ClientKind.INDIVIDUAL, ClientKind.INDIVIDUAL),
        (ClientKind.LEGAL_ENTITY, ClientKind.INDIVIDUAL),
        (ClientKind.INDIVIDUAL, ClientKind.LEGAL_ENTITY),
    ],
)
def test_individuals_may_share_a_registration_number(first_kind, second_kind):
    # given a client with number 12345678 (e.g. a sole trader's ID)
    make_client(kind=first_kind, registration_number="12345678")

    # when a second client of another kind, or a second individual, with the same number is saved
    make_client(kind=second_kind, registration_number="12345678")

    # then both exist
    assert Client.objects.filter(registration_number="12345678").count() == 2


def test_database_refuses_a_duplicate_legal_entity_number():
    # given a legal entity
    make_client(registration_number="01-09-123456")

    # when a second one is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.create(kind=ClientKind.LEGAL_ENTITY, name="Beta Kft.", registration_number="01-09-123456")

    # then only the first exists
    assert Client.objects.count() == 1


def test_database_refuses_a_legal_entity_without_registration_number():
    # given / when a legal entity without a number is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.create(kind=ClientKind.LEGAL_ENTITY, name="Alfa Kft.", registration_number="")

    # then nothing was stored
    assert Client.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# Client: contacts
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 30 123 4567", "+36301234567"),
        ("+36 1 234 5678", "+3612345678"),
        ("(06-1) 234-5678", "+3612345678"),
        ("30/123-4567", "+36301234567"),
        ("0036 20 123 45 67", "+36201234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("  +36301234567  ", "+36301234567"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_is_stored_in_e164_reading_local_numbers_as_hungarian(typed, stored):
    # given a client with a phone number as typed
    client = legal_entity(phone=typed)

    # when it is validated
    client.full_clean()

    # then the number is in E.164 form (Hungary for numbers without a country code)
    assert client.phone == stored


@pytest.mark.parametrize("typed", ["1234", "abc", "+36 1 234", "06 30 123 4567 8901 2345", "+999 123 456"])
def test_invalid_phone_is_refused(typed):
    # given a client with an impossible phone number
    client = legal_entity(phone=typed)

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then the phone is refused with its code
    assert list(exc_info.value.error_dict) == ["phone"]
    assert codes(exc_info.value, "phone") == ["invalid_phone"]
    assert exc_info.value.error_dict["phone"][0].messages == ["Enter a valid phone number."]


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "info@@alfa.hu", "info@alfa .hu"])
def test_invalid_email_is_refused(email):
    # given a client with a malformed e-mail address
    client = legal_entity(email=email)

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then the e-mail is refused
    assert codes(exc_info.value, "email") == ["invalid"]


def test_email_is_stored_in_lower_case():
    # given a client with an e-mail typed in mixed case
    client = legal_entity(email="Info@Alfa.HU")

    # when it is validated / then it is lower-cased
    client.full_clean()
    assert client.email == "info@alfa.hu"


def test_country_is_stored_upper_case():
    # given / when a client with a lower-case country code is validated
    client = legal_entity(country="hu")
    client.full_clean()

    # then the code is upper case
    assert client.country == "HU"


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [("email", " Info@Alfa.HU ", "info@alfa.hu"), ("country", " hu ", "HU")],
)
def test_surrounding_spaces_are_trimmed_not_refused(field, typed, stored):
    # given a client whose e-mail or country was typed with surrounding spaces (e.g. from a CSV import)
    client = legal_entity(**{field: typed})

    # when it is validated
    client.full_clean()

    # then the value is trimmed and normalised, as clean() intends, rather than refused
    assert getattr(client, field) == stored


def test_several_errors_are_reported_together():
    # given a legal entity with no number, a bad phone and VIP without reason
    client = legal_entity(registration_number="", phone="12", is_vip=True, vip_since=datetime.date(2024, 1, 1))

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then every error is reported at once, each on its field
    assert {field: codes(exc_info.value, field) for field in exc_info.value.error_dict} == {
        "registration_number": ["registration_number_required"],
        "phone": ["invalid_phone"],
        "vip_reason": ["vip_reason_required"],
    }


# ---------------------------------------------------------------------------------------------------------------
# Client: VIP, acquisition
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_vip_needs_a_reason(reason):
    # given a VIP client without a reason
    client = legal_entity(is_vip=True, vip_since=datetime.date(2024, 1, 1), vip_reason=reason)

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then the reason is required
    assert list(exc_info.value.error_dict) == ["vip_reason"]
    assert codes(exc_info.value, "vip_reason") == ["vip_reason_required"]


def test_vip_with_reason_and_date_is_valid():
    # given / when a VIP client with date and reason is validated / then it passes
    legal_entity(is_vip=True, vip_since=datetime.date(2024, 1, 1), vip_reason="Main source of profit").full_clean()


def test_database_refuses_a_vip_without_a_date():
    # given / when a VIP without a date is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        legal_entity(is_vip=True, vip_reason="Main source of profit").save()

    # then nothing was stored
    assert Client.objects.count() == 0


def test_acquisition_needs_its_date():
    # given a client credited to a manager without a date
    client = legal_entity(acquired_by=make_manager())

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        client.full_clean()

    # then the date is required
    assert codes(exc_info.value, "acquired_on") == ["acquired_on_required"]


def test_database_refuses_an_acquisition_without_a_date():
    # given a manager
    manager = make_manager()

    # when an acquisition without date is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        legal_entity(acquired_by=manager).save()

    # then nothing was stored
    assert Client.objects.count() == 0


def test_new_client_defaults():
    # given / when a legal entity is created with only what is required
    client = make_client(name="Alfa Kft.", status=ClientStatus.PROSPECT)

    # then it is a non-VIP prospect with an unknown motivation
    client.refresh_from_db()
    assert (client.kind, client.status, client.is_vip, client.motivation, client.is_legal_entity) == (
        ClientKind.LEGAL_ENTITY,
        ClientStatus.PROSPECT,
        False,
        Motivation.UNKNOWN,
        True,
    )


# ---------------------------------------------------------------------------------------------------------------
# Client group
# ---------------------------------------------------------------------------------------------------------------


def test_client_group_keeps_manager_types_in_canonical_order_without_repeats():
    # given a group whose types were picked in any order, one twice
    group = ClientGroup(name="Industry", manager_types=["partnership", "advice", "partnership"])

    # when it is validated
    group.full_clean()

    # then the types are in the order of the choices, once each, and display with their labels
    assert group.manager_types == ["advice", "partnership"]
    assert group.get_manager_types_display() == "Advice, Partnership"


@pytest.mark.parametrize("types", [["salesman"], "advice", [None]])
def test_client_group_refuses_unknown_manager_types(types):
    # given a group with a type that does not exist (or not a list)
    group = ClientGroup(name="Retail", manager_types=types)

    # when it is validated
    with pytest.raises(ValidationError) as exc_info:
        group.full_clean()

    # then the types are refused
    assert codes(exc_info.value, "manager_types") == ["invalid_choice"]


# ---------------------------------------------------------------------------------------------------------------
# Assignment: one current per client
# ---------------------------------------------------------------------------------------------------------------


def test_database_allows_one_current_assignment_per_client():
    # given a client assigned to Anna
    client, anna, bela = make_client(), make_manager(), make_manager()
    first = make_assignment(client, anna)
    actor = make_user()

    # when a second current assignment to Béla is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            client=client, manager=bela, actor=actor, start_date=datetime.date(2025, 1, 1), reason="manual"
        )

    # then Anna's is still the only assignment
    assert list(Assignment.objects.values_list("pk", "manager_id", "end_date")) == [(first.pk, anna.pk, None)]


def test_model_validation_reports_a_second_current_assignment():
    # given a client assigned to Anna
    client, bela = make_client(), make_manager()
    make_assignment(client, make_manager())

    # when a second current assignment is validated
    second = Assignment(
        client=client, manager=bela, actor=make_user(), start_date=datetime.date(2025, 1, 1), reason="manual"
    )
    with pytest.raises(ValidationError) as exc_info:
        second.full_clean()

    # then it is refused as already assigned
    assert codes(exc_info.value, "__all__") == ["already_assigned"]


def test_ended_assignments_do_not_block_a_current_one():
    # given a client with two ended assignments
    client, manager = make_client(), make_manager()
    actor = make_user()
    for start, end in [
        (datetime.date(2022, 1, 1), datetime.date(2023, 1, 1)),
        (datetime.date(2023, 1, 1), datetime.date(2024, 1, 1)),
    ]:
        Assignment.objects.create(
            client=client, manager=manager, actor=actor, start_date=start, end_date=end, reason="manual"
        )

    # when a current one is written
    make_assignment(client, manager, start_date=datetime.date(2024, 1, 1))

    # then the client has three assignments, one current
    assert (Assignment.objects.filter(client=client).count(), Assignment.objects.current().count()) == (3, 1)


def test_database_refuses_an_assignment_ending_before_it_starts():
    # given a client and a manager
    client, manager = make_client(), make_manager()

    # when an assignment ending before its start is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            client=client,
            manager=manager,
            actor=make_user(),
            start_date=datetime.date(2025, 1, 2),
            end_date=datetime.date(2025, 1, 1),
            reason="manual",
        )

    # then nothing was stored
    assert Assignment.objects.count() == 0


# ---------------------------------------------------------------------------------------------------------------
# Client manager
# ---------------------------------------------------------------------------------------------------------------


def _manager(**fields) -> ClientManager:
    fields.setdefault("manager_type", "partnership")
    fields.setdefault("level", "junior")
    fields.setdefault("hire_date", datetime.date(2020, 1, 1))
    fields.setdefault("status_since", datetime.date(2020, 1, 1))
    return ClientManager(user=make_user(), **fields)


def test_manager_capacity_defaults_to_the_level_default():
    # given a junior without capacity
    manager = _manager(level="junior")

    # when validated / then the capacity is the junior default
    manager.full_clean()
    assert manager.capacity == 25


def test_dismissed_manager_needs_a_dismissal_date():
    # given a dismissed manager without a date
    manager = _manager(capacity=10, employment_status=EmploymentStatus.DISMISSED)

    # when validated
    with pytest.raises(ValidationError) as exc_info:
        manager.full_clean()

    # then the date is required
    assert codes(exc_info.value, "dismissal_date") == ["dismissal_date_required"]


def test_a_manager_not_dismissed_has_no_dismissal_date():
    # given an active manager with a stray dismissal date
    manager = _manager(capacity=10, dismissal_date=datetime.date(2024, 1, 1))

    # when validated / then the date is cleared
    manager.full_clean()
    assert manager.dismissal_date is None


def test_dismissal_cannot_precede_hiring():
    # given a manager dismissed before they were hired
    manager = _manager(
        capacity=10, employment_status=EmploymentStatus.DISMISSED, dismissal_date=datetime.date(2019, 12, 31)
    )

    # when validated / then it is refused
    with pytest.raises(ValidationError) as exc_info:
        manager.full_clean()
    assert codes(exc_info.value, "__all__") == ["dismissal_before_hire"]

    # and the database refuses it too
    with pytest.raises(IntegrityError), transaction.atomic():
        manager.save()
    assert ClientManager.objects.count() == 0


def test_database_refuses_a_dismissed_manager_without_a_date():
    # given / when a dismissed manager without a date is written around Python
    with pytest.raises(IntegrityError), transaction.atomic():
        _manager(capacity=10, employment_status=EmploymentStatus.DISMISSED).save()

    # then nothing was stored
    assert ClientManager.objects.count() == 0
