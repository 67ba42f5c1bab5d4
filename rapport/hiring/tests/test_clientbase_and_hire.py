"""A candidate's own client base (CSV import, duplicate rules of the pipeline) and hiring in one step."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from rapport.accounts import roles
from rapport.clients.choices import ClientKind, ClientStatus
from rapport.clients.models import Client
from rapport.core.testing import make_client, make_group, make_manager, make_user
from rapport.hiring.choices import CandidateStatus, EntryStatus
from rapport.hiring.clientbase import client_base_confirm, client_base_import
from rapport.hiring.hire import candidate_hire, hire_defaults
from rapport.hiring.models import ManagerKnowledge
from rapport.hiring.tests.support import make_assessment, make_candidate, make_hr, make_position
from rapport.managers.models import ClientManager
from rapport.pipeline.choices import Stage
from rapport.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db
D = Decimal

CSV = """name;kind;registration_number;email;phone;city
Alfa Gépgyártó Kft.;legal_entity;01-09-111111;info@alfa.hu;;Budapest
Existing By Regno Kft.;;01-09-999999;;;
Béta Szoftver Zrt;;01-09-222222;;;Győr
Kovács Anna;individual;;anna@kovacs.hu;06 30 555 1234;Pécs
No Number Kft.;legal_entity;;;;
Alfa Gépgyártó Kft.;;01-09-111111;;;
Someone;individual;;boss@existing.hu;;
"""


@pytest.fixture
def existing():
    """Clients the company already has."""
    return {
        "regno": make_client(name="Old Name Kft.", registration_number="01-09-999999"),
        "email": make_client(kind=ClientKind.INDIVIDUAL, name="Boss", email="boss@existing.hu"),
        "similar": make_client(name="Béta Szoftver Zrt.", registration_number="01-09-333333"),
    }


def test_an_imported_client_base_is_checked_against_the_company_clients_row_by_row(existing):
    # given a candidate and clients the company already has
    hr = make_hr()
    candidate = make_candidate(hr, client_base_size=40)
    # when HR imports the candidate's CSV (semicolons, Hungarian letters)
    result = client_base_import(actor=hr, candidate=candidate, content=CSV.encode("utf-8"))
    # then each row has its verdict: new, duplicate of an existing client (by number), similar, skipped
    rows = list(
        candidate.client_base.order_by("row").values_list(
            "row", "name", "status", "match_client_id", "match_on", "problem"
        )
    )
    assert rows == [
        (1, "Alfa Gépgyártó Kft.", EntryStatus.NEW, None, "", ""),
        (2, "Existing By Regno Kft.", EntryStatus.DUPLICATE, existing["regno"].pk, "registration_number", ""),
        (3, "Béta Szoftver Zrt", EntryStatus.SIMILAR, existing["similar"].pk, "name", ""),
        (4, "Kovács Anna", EntryStatus.NEW, None, "", ""),
        (5, "No Number Kft.", EntryStatus.SKIPPED, None, "", "A legal entity must have a registration number."),
        (6, "Alfa Gépgyártó Kft.", EntryStatus.SKIPPED, None, "", "Repeats row 1."),
        (7, "Someone", EntryStatus.DUPLICATE, existing["email"].pk, "email", ""),
    ]
    assert (result.new, result.similar, result.duplicate, result.skipped) == (2, 1, 2, 2)
    # and the phone is normalised as a client's would be; only the new clients count for the candidate
    assert candidate.client_base.get(row=4).phone == "+36305551234"
    candidate.refresh_from_db()
    assert candidate.client_base_size == 2
    # when HR confirms the similar name is another client
    client_base_confirm(actor=hr, entry=candidate.client_base.get(row=3), confirmed=True)
    candidate.refresh_from_db()
    assert candidate.client_base_size == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The file is empty."),
        ("city,phone\nBudapest,1\n", "The first row must name the columns, among them name."),
        (b"\xff\xfename\n", "The file is not UTF-8 text."),
    ],
)
def test_an_unreadable_file_is_refused_and_the_previous_import_stays(content, message):
    hr = make_hr()
    candidate = make_candidate(hr)
    client_base_import(actor=hr, candidate=candidate, content="name,registration_number\nGamma Kft.,01-09-444444\n")
    with pytest.raises(ValidationError) as refusal:
        client_base_import(actor=hr, candidate=candidate, content=content)
    assert refusal.value.message_dict == {"file": [message]}
    assert list(candidate.client_base.values_list("name", flat=True)) == ["Gamma Kft."]


def hired_world(existing_clients=True):
    hr, interviewer = make_hr(), make_user()
    software = make_group("Software")
    position = make_position(title="Decision manager", manager_type="decision", level="junior", work_mode="personal")
    candidate = make_candidate(
        hr,
        first_name="Zsófia",
        last_name="Kelemen",
        email="zsofia@example.org",
        years_of_experience=D("2.5"),
        position=position,
        client_base_group=software,
        status=CandidateStatus.OFFERED,
    )
    make_assessment(candidate, hr, knowledge={"communication": 4, "marketing": 3})
    make_assessment(candidate, interviewer, knowledge={"communication": 5})
    return hr, candidate, software


def test_hiring_creates_the_user_and_the_manager_in_one_step_carrying_over_what_applies(existing):
    # given an offered candidate with assessments and an imported client base
    hr, candidate, software = hired_world()
    client_base_import(actor=hr, candidate=candidate, content=CSV)
    client_base_confirm(actor=hr, entry=candidate.client_base.get(row=3), confirmed=True)
    defaults = hire_defaults(candidate)
    assert (defaults["username"], defaults["manager_type"], defaults["level"]) == ("zsofia", "decision", "junior")

    # when HR hires her
    result = candidate_hire(
        actor=hr,
        candidate=candidate,
        username="zsofia",
        data={"manager_type": "decision", "level": "junior", "work_mode": "personal", "hire_date": "2026-02-01"},
    )

    # then she has an account without a usable password, the Client manager role and a manager profile
    user = get_user_model().objects.get(username="zsofia")
    assert (user.first_name, user.last_name, user.email, user.has_usable_password()) == (
        "Zsófia",
        "Kelemen",
        "zsofia@example.org",
        False,
    )
    manager = ClientManager.objects.get(user=user)
    assert result.manager == manager and roles.is_client_manager(user)
    assert (manager.manager_type, manager.level, manager.work_mode, str(manager.hire_date)) == (
        "decision",
        "junior",
        "personal",
        "2026-02-01",
    )
    assert (manager.years_of_experience, list(manager.client_groups.all())) == (2, [software])
    # and the interviewers' averages are her assessed knowledge
    assert sorted(ManagerKnowledge.objects.filter(manager=manager).values_list("area", "level")) == [
        ("communication", D("4.5")),
        ("marketing", D("3.0")),
    ]
    # and her new clients (and the confirmed similar one) are prospects she owns, each with an opportunity
    assert (result.prospects.created, result.prospects.refused) == (3, 0)
    opportunities = Opportunity.objects.filter(manager=manager).select_related("client").order_by("client__name")
    assert [(o.client.name, o.client.status, o.stage) for o in opportunities] == [
        ("Alfa Gépgyártó Kft.", ClientStatus.PROSPECT, Stage.NEW),
        ("Béta Szoftver Zrt", ClientStatus.PROSPECT, Stage.NEW),
        ("Kovács Anna", ClientStatus.PROSPECT, Stage.NEW),
    ]
    assert candidate.client_base.filter(status=EntryStatus.CONVERTED).count() == 3
    # and the clients the company already had are untouched, credited to nobody new
    assert Client.objects.count() == 6
    candidate.refresh_from_db()
    assert (candidate.status, candidate.hired_manager) == (CandidateStatus.HIRED, manager)


def test_a_row_that_became_a_client_meanwhile_is_not_made_a_prospect():
    hr, candidate, _software = hired_world()
    client_base_import(actor=hr, candidate=candidate, content="name,registration_number\nDelta Kft.,01-09-555555\n")
    make_client(name="Delta Kft.", registration_number="01-09-555555")
    result = candidate_hire(
        actor=hr, candidate=candidate, username="zs", data={"manager_type": "decision", "level": "junior"}
    )
    entry = candidate.client_base.get()
    assert (result.prospects.created, result.prospects.refused, entry.status) == (0, 1, EntryStatus.DUPLICATE)
    assert "already exists" in entry.problem
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("username_taken", "username_taken"),
        ("rejected", "candidate_closed"),
        ("hired", "already_hired"),
    ],
)
def test_refused_hiring_changes_nothing(setup, code):
    hr, candidate, _software = hired_world()
    make_user(username="taken")
    if setup == "rejected":
        candidate.status = CandidateStatus.REJECTED
        candidate.save()
    if setup == "hired":
        candidate.status = CandidateStatus.HIRED
        candidate.hired_manager = make_manager()
        candidate.save()
    users, managers = get_user_model().objects.count(), ClientManager.objects.count()
    with pytest.raises(ValidationError) as refusal:
        candidate_hire(
            actor=hr,
            candidate=candidate,
            username="Taken" if setup == "username_taken" else "new",
            data={"manager_type": "decision", "level": "junior"},
        )
    errors = (
        refusal.value.error_dict.get("username", [])
        if hasattr(refusal.value, "error_dict")
        else refusal.value.error_list
    )
    assert [error.code for error in errors] == [code]
    assert (get_user_model().objects.count(), ClientManager.objects.count()) == (users, managers)
    assert ManagerKnowledge.objects.count() == 0
