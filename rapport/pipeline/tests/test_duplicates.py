"""Duplicate prospects: exact duplicates (registration number, e-mail, phone) are refused, naming the existing
client only to those who may see it; similar names are refused until the user confirms. Name keys are checked on
their own, without a database.
"""

import pytest
from django.core.exceptions import ValidationError

from rapport.clients.choices import ClientKind
from rapport.clients.models import Client
from rapport.core.names import name_key, similarity
from rapport.core.testing import make_assignment, make_client
from rapport.pipeline.duplicates import find_duplicates
from rapport.pipeline.services import prospect_create
from rapport.pipeline.tests.support import named_manager, pipeline_state, refusal

REGNO = "01-09-123456"


@pytest.fixture
def anna(db):
    return named_manager("Anna", "Kovács")


def legal(name: str, **fields) -> dict:
    fields.setdefault("registration_number", "13-10-000001")
    return {"kind": ClientKind.LEGAL_ENTITY, "name": name, **fields}


def refused(actor, data, **kwargs) -> ValidationError:
    """Create the prospect, expecting a refusal that changes nothing; return the error."""
    before = pipeline_state()
    with pytest.raises(ValidationError) as exc_info:
        prospect_create(actor=actor, data=data, **kwargs)
    assert pipeline_state() == before
    return exc_info.value


# ---------------------------------------------------------------------------------------------------------------
# Exact duplicates
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_legal_entity_with_a_known_registration_number_is_refused(management, anna):
    # given a legal entity with registration number 01-09-123456
    existing = make_client(name="Alfa Kft.", registration_number=REGNO)

    # when Management registers another name with the same number (typed with spaces)
    error = refused(management, legal("Béta Zrt.", registration_number=f"  {REGNO} "), manager=anna)

    # then it is refused on the registration number, naming the existing client by id
    assert refusal(error) == ("registration_number", "duplicate_client")
    detail = error.error_dict["registration_number"][0]
    assert detail.params == {"client_id": existing.pk}
    assert error.messages == ["This client already exists: Alfa Kft. has the same registration number."]


@pytest.mark.django_db
def test_an_individual_with_the_same_registration_number_is_not_a_duplicate(anna):
    # given a legal entity with a registration number
    make_client(name="Alfa Kft.", registration_number=REGNO)

    # when an individual is registered with the same number (individuals' numbers are not unique)
    opportunity = prospect_create(
        actor=anna.user, data={"kind": ClientKind.INDIVIDUAL, "name": "Kiss Péter", "registration_number": REGNO}
    )

    # then it is created
    assert (opportunity.client.kind, opportunity.client.registration_number) == ("individual", REGNO)
    assert Client.objects.count() == 2


@pytest.mark.django_db
def test_a_legal_entity_may_share_a_number_with_an_individual(anna):
    # given an individual holding a registration number
    make_client(kind=ClientKind.INDIVIDUAL, name="Kiss Péter", registration_number=REGNO)

    # when a legal entity is registered with it / then it is created
    opportunity = prospect_create(actor=anna.user, data=legal("Alfa Kft.", registration_number=REGNO))
    assert opportunity.client.kind == "legal_entity"
    assert Client.objects.count() == 2


@pytest.mark.django_db
def test_a_known_email_is_refused_whatever_its_case_and_spaces(anna):
    # given a client reached at info@alfa.hu, assigned to Anna
    existing = make_client(name="Alfa Kft.", email="info@alfa.hu")
    make_assignment(existing, anna)

    # when Anna registers " Info@Alfa.hu " under another name and number
    error = refused(anna.user, legal("Gamma Bt.", email=" Info@Alfa.hu "))

    # then it is refused on the e-mail, naming the client she sees
    assert refusal(error) == ("email", "duplicate_client")
    assert error.error_dict["email"][0].params == {"client_id": existing.pk}
    assert error.messages == ["This client already exists: Alfa Kft. has the same e-mail."]


@pytest.mark.django_db
def test_an_individual_with_a_known_email_is_refused(anna, management):
    # given a legal entity reached at info@alfa.hu
    existing = make_client(name="Alfa Kft.", email="info@alfa.hu")

    # when an individual is registered with the same address / then refused: the e-mail is not per kind
    error = refused(
        management, {"kind": ClientKind.INDIVIDUAL, "name": "Kiss Péter", "email": "INFO@alfa.hu"}, manager=anna
    )
    assert refusal(error) == ("email", "duplicate_client")
    assert error.error_dict["email"][0].params == {"client_id": existing.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["06 30 123 4567", "+36 30 123 4567", "06-30/123-4567", "0036301234567"])
def test_a_known_phone_in_another_format_is_refused(management, anna, typed):
    # given a client whose phone is +36301234567
    existing = make_client(name="Alfa Kft.", phone="+36301234567")

    # when Management registers a prospect with the same number written another way
    error = refused(management, legal("Gamma Bt.", phone=typed), manager=anna)

    # then it is refused on the phone
    assert refusal(error) == ("phone", "duplicate_client")
    assert error.error_dict["phone"][0].params == {"client_id": existing.pk}
    assert error.messages == ["This client already exists: Alfa Kft. has the same phone."]


@pytest.mark.django_db
def test_another_phone_email_and_number_are_no_duplicates(anna):
    # given a client with a number, an e-mail and a phone
    make_client(name="Alfa Kft.", registration_number=REGNO, email="info@alfa.hu", phone="+36301234567")

    # when a prospect with other values (and an unrelated name) is registered / then it is created
    opportunity = prospect_create(
        actor=anna.user,
        data=legal("Gamma Bt.", registration_number="01-09-654321", email="info@gamma.hu", phone="06 30 765 4321"),
    )
    assert opportunity.client.name == "Gamma Bt."
    assert Client.objects.count() == 2


@pytest.mark.django_db
def test_a_manager_who_cannot_see_the_duplicate_is_not_told_its_name(anna):
    # given a client Anna does not see
    existing = make_client(name="Alfa Secret Kft.", registration_number=REGNO)

    # when Anna registers the same registration number
    error = refused(anna.user, legal("Béta Zrt.", registration_number=REGNO))

    # then the refusal gives only the number of the client, not its name
    assert refusal(error) == ("registration_number", "duplicate_client")
    assert error.error_dict["registration_number"][0].params == {"client_id": existing.pk}
    assert error.messages == [
        f"This client already exists: client #{existing.pk} of another manager has the same registration number."
    ]
    assert "Secret" not in error.messages[0]


@pytest.mark.django_db
def test_a_percent_sign_in_the_existing_name_survives_the_message(management, anna):
    # given a client whose name holds a percent sign
    make_client(name="100% Bio Kft.", registration_number=REGNO)

    # when its number is registered again / then the message shows the name as written
    error = refused(management, legal("Béta Zrt.", registration_number=REGNO), manager=anna)
    assert error.messages == ["This client already exists: 100% Bio Kft. has the same registration number."]


@pytest.mark.django_db
def test_an_exact_duplicate_cannot_be_confirmed_away(management, anna):
    # given a client with a registration number
    make_client(name="Alfa Kft.", registration_number=REGNO)

    # when its number is registered again, confirming similar names / then still refused
    error = refused(management, legal("Alfa Kft.", registration_number=REGNO), manager=anna, confirm_similar=True)
    assert refusal(error) == ("registration_number", "duplicate_client")


# ---------------------------------------------------------------------------------------------------------------
# Similar names
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing_name", "new_name"),
    [
        ("Alfa Kft.", "ALFA Kft"),
        ("Alfa Kft.", "Alfa Zrt."),
        ("Alfa Trading Kft.", "Alfa Tradings Zrt."),
        ("Árvíztűrő Kft.", "Arvizturo Bt."),
    ],
)
def test_a_similar_name_is_refused_until_confirmed(management, anna, existing_name, new_name):
    # given a client named ``existing_name``
    existing = make_client(name=existing_name)

    # when Management registers ``new_name`` (another number)
    error = refused(management, legal(new_name), manager=anna)

    # then it is refused on the name, listing the similar client
    assert refusal(error) == ("name", "similar_client")
    assert error.error_dict["name"][0].params == {"client_ids": [existing.pk]}
    assert error.messages == [
        f"Clients with similar names exist ({existing_name}): confirm that this is a different client."
    ]

    # when it is confirmed as a different client
    opportunity = prospect_create(actor=management, data=legal(new_name), manager=anna, confirm_similar=True)

    # then the prospect is created next to the existing client
    assert opportunity.client.name == new_name
    assert sorted(Client.objects.values_list("name", flat=True)) == sorted([existing_name, new_name])


@pytest.mark.django_db
def test_similar_clients_are_listed_closest_first(management, anna):
    # given an exact key match and a near one
    near = make_client(name="Alfa Tradings Zrt.")
    same = make_client(name="ALFA TRADING Bt.")

    # when "Alfa Trading Kft." is registered / then both are listed, the exact key first
    error = refused(management, legal("Alfa Trading Kft."), manager=anna)
    assert error.error_dict["name"][0].params == {"client_ids": [same.pk, near.pk]}
    assert error.messages == [
        "Clients with similar names exist (ALFA TRADING Bt., Alfa Tradings Zrt.): "
        "confirm that this is a different client."
    ]


@pytest.mark.django_db
def test_a_manager_is_not_told_the_names_of_similar_clients_they_do_not_see(anna):
    # given a client Anna does not see
    hidden = make_client(name="Alfa Kft.")

    # when Anna registers "ALFA Kft" / then the similar client is given by number only
    error = refused(anna.user, legal("ALFA Kft"))
    assert refusal(error) == ("name", "similar_client")
    assert error.messages == [
        f"Clients with similar names exist (client #{hidden.pk} of another manager): "
        "confirm that this is a different client."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("new_name", ["Alfa Bank Nyrt.", "Béta Kft.", "Alfaröm Kft.", "Gamma Alfa Kft."])
def test_an_unrelated_name_passes(anna, new_name):
    # given a client named Alfa Kft.
    make_client(name="Alfa Kft.")

    # when a prospect with an unrelated name is registered / then it is created at once
    opportunity = prospect_create(actor=anna.user, data=legal(new_name))
    assert opportunity.client.name == new_name


@pytest.mark.django_db
def test_find_duplicates_can_leave_out_the_client_itself():
    # given a client
    client = make_client(name="Alfa Kft.", email="info@alfa.hu")

    # when the client itself is checked (an edit) / then it is not its own duplicate
    check = find_duplicates(name="Alfa Kft.", kind="legal_entity", email="info@alfa.hu", exclude_pk=client.pk)
    assert (check.exact, check.similar) == ([], [])
    # and without the exclusion it matches on e-mail, not again on the name
    check = find_duplicates(name="Alfa Kft.", kind="legal_entity", email="info@alfa.hu")
    assert [(m.client_id, m.on, m.score) for m in check.exact] == [(client.pk, "email", 1.0)]
    assert check.similar == []


# ---------------------------------------------------------------------------------------------------------------
# Name keys
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Alfa Kft.", "alfa"),
        ("ALFA kft", "alfa"),
        ("  Alfa   Kft  ", "alfa"),
        ("Alfa Zrt.", "alfa"),
        ("Alfa Nyrt.", "alfa"),
        ("Alfa és Társa Bt.", "alfa es tarsa"),
        ("Alfa Kkt.", "alfa"),
        # accents
        ("Árvíztűrő Tükörfúrógép Zrt.", "arvizturo tukorfurogep"),
        ("Müller GmbH", "muller"),
        ("Straße AG", "strasse"),
        # English legal forms and fillers
        ("The Acme Company, Ltd.", "acme"),
        ("Acme Corp.", "acme"),
        ("Acme Inc", "acme"),
        ("Acme Limited", "acme"),
        ("Acme LLC", "acme"),
        ("Acme PLC", "acme"),
        # Russian legal forms, Cyrillic kept
        ('ООО "Ромашка"', "ромашка"),
        ("ЗАО «Ромашка»", "ромашка"),
        ("ПАО Ромашка", "ромашка"),
        ("ИП Иванов", "иванов"),
        ("Ёлка ООО", "елка"),
        # punctuation
        ("Alfa-Beta Kft.", "alfa beta"),
        ("A.B.C. Kft.", "a b c"),
        ("Kovács & Társa Bt.", "kovacs tarsa"),
        ("Alfa 2000 Kft.", "alfa 2000"),
        ("Alfa Kft Trading", "alfa trading"),
        # nothing left
        ("Kft.", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


def test_name_key_is_at_most_200_characters():
    assert name_key("a" * 300) == "a" * 200


@pytest.mark.parametrize(
    ("a", "b", "score"),
    [
        ("alfa", "alfa", 1.0),
        ("alfa trading", "alfa tradings", 0.96),
        ("alfa", "alfa bank", 0.62),
        ("alfa", "", 0.0),
        ("", "", 0.0),
    ],
)
def test_similarity(a, b, score):
    assert round(similarity(a, b), 2) == score
