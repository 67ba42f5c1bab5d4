"""UI of the registry and manual assignment: who sees what, forms show errors, denied actions change nothing."""

import pytest
from django.test import Client as Browser

from rapport.accounts.roles import Role
from rapport.assignment.models import Assignment
from rapport.clients.models import Client
from rapport.core.testing import make_assignment, make_client, make_group, make_manager, make_user

pytestmark = pytest.mark.django_db


def browser(user=None) -> Browser:
    b = Browser()
    if user is not None:
        b.force_login(user)
    return b


def test_pages_require_login():
    # given no session / when opening the client list / then the login page
    response = browser().get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/clients/"


def test_login_page_renders_and_logs_in(management):
    from rapport.core.testing import PASSWORD

    b = browser()
    assert b.get("/login/").status_code == 200
    response = b.post("/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 302
    assert b.get("/", follow=True).redirect_chain[-1][0] == "/clients/"


@pytest.mark.parametrize(
    ("role", "landing"), [(Role.HR, "/managers/"), (Role.PAYROLL, "/managers/"), (Role.MANAGEMENT, "/clients/")]
)
def test_home_sends_each_role_to_its_page(role, landing):
    response = browser(make_user(role)).get("/")
    assert response["Location"] == landing


def test_management_list_filters_and_htmx_partial(management):
    # given clients in two groups
    retail = make_group("Retail")
    make_client(name="Alpha Kft.", group=retail)
    make_client(name="Beta Kft.")
    # when filtering by group as a full page / then one row and the filter form
    page = browser(management).get("/clients/", {"group": retail.pk})
    assert page.status_code == 200
    assert b"Alpha Kft." in page.content and b"Beta Kft." not in page.content
    assert b'class="filters"' in page.content
    # when the same request comes from htmx / then only the results fragment
    partial = browser(management).get("/clients/", {"q": "beta"}, HTTP_HX_REQUEST="true")
    assert b"Beta Kft." in partial.content and b"Alpha Kft." not in partial.content
    assert b"<html" not in partial.content


def test_manager_sees_own_clients_only_and_404_elsewhere():
    # given two managers with a client each
    mine, theirs = make_client(name="Mine Kft."), make_client(name="Theirs Kft.")
    me, other = make_manager(), make_manager()
    make_assignment(mine, me)
    make_assignment(theirs, other)
    b = browser(me.user)
    # when / then
    listing = b.get("/clients/")
    assert b"Mine Kft." in listing.content and b"Theirs Kft." not in listing.content
    assert b.get(f"/clients/{mine.pk}/").status_code == 200
    assert b.get(f"/clients/{theirs.pk}/").status_code == 404
    assert b.get(f"/clients/{theirs.pk}/edit/").status_code == 404
    assert b.get(f"/clients/{theirs.pk}/assign/").status_code == 404
    assert b.get(f"/managers/{other.pk}/").status_code == 404
    assert b.get(f"/managers/{me.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.HR, Role.PAYROLL])
def test_hr_and_payroll_have_no_client_pages(role):
    client = make_client()
    b = browser(make_user(role))
    assert b.get("/clients/").status_code == 403
    assert b.get(f"/clients/{client.pk}/").status_code == 404
    assert b.get("/managers/").status_code == 200


def test_create_client_shows_field_errors_and_creates_nothing(management):
    b = browser(management)
    # given a legal entity without registration number / when submitting / then the form shows the error
    response = b.post(
        "/clients/new/",
        {"kind": "legal_entity", "name": "Nova Kft.", "status": "active", "motivation": "unknown", "phone": "nonsense"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registration_number": ["A legal entity must have a registration number."],
        "phone": ["Enter a valid phone number."],
    }
    assert Client.objects.count() == 0
    # when corrected / then the client exists and we land on its page
    response = b.post(
        "/clients/new/",
        {
            "kind": "legal_entity",
            "name": "Nova Kft.",
            "status": "active",
            "motivation": "unknown",
            "registration_number": "01-09-123456",
        },
    )
    client = Client.objects.get()
    assert response["Location"] == f"/clients/{client.pk}/"
    assert client.history.get().history_user == management


def test_manager_edit_form_offers_only_their_fields():
    client = make_client(name="Own Kft.")
    manager = make_manager()
    make_assignment(client, manager)
    b = browser(manager.user)
    form = b.get(f"/clients/{client.pk}/edit/").context["form"]
    assert "is_vip" not in form.fields and "group" not in form.fields and "status" not in form.fields
    assert "motivation" in form.fields
    # when the manager posts a VIP flag anyway / then it is ignored as not a field of their form
    b.post(
        f"/clients/{client.pk}/edit/",
        {"name": "Own Kft.", "registration_number": client.registration_number, "motivation": "advice", "is_vip": "on"},
    )
    client.refresh_from_db()
    assert client.is_vip is False
    assert client.motivation == "advice"
    assert client.motivation_determined_by == manager.user


def test_management_assigns_through_the_ui_and_sees_rule_errors(management):
    # given a client and a manager at full capacity
    client = make_client(name="Target Kft.")
    full = make_manager(capacity=1)
    make_assignment(make_client(), full)
    free = make_manager()
    b = browser(management)
    # when assigning to the full manager / then the form shows the capacity error and nothing changes
    response = b.post(f"/clients/{client.pk}/assign/", {"manager": full.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["manager"] == [f"{full.name} is at full capacity (1 of 1 clients)."]
    assert not Assignment.objects.filter(client=client).exists()
    # when assigning to the free manager / then it holds
    response = b.post(f"/clients/{client.pk}/assign/", {"manager": free.pk, "note": "Good fit"})
    assert response["Location"] == f"/clients/{client.pk}/"
    assert Assignment.objects.get(client=client).manager == free
    # when unassigning / then the assignment has ended today
    b.post(f"/clients/{client.pk}/unassign/", {"note": "Client asked"})
    assert Assignment.objects.get(client=client).end_date is not None
    detail = b.get(f"/clients/{client.pk}/")
    assert b"No personal manager." in detail.content


def test_manager_cannot_assign_own_client():
    client = make_client()
    manager = make_manager()
    make_assignment(client, manager)
    other = make_manager()
    response = browser(manager.user).post(f"/clients/{client.pk}/assign/", {"manager": other.pk})
    assert response.status_code == 403
    assert list(Assignment.objects.values_list("manager_id", flat=True)) == [manager.pk]


def test_manager_detail_shows_portfolio_against_capacity(management, hr):
    manager = make_manager(capacity=4)
    make_assignment(make_client(name="One Kft."), manager)
    page = browser(management).get(f"/managers/{manager.pk}/")
    assert page.context["manager"].load == 1
    assert page.context["utilisation"] == 25
    assert b"One Kft." in page.content
    # HR sees the profile and the load but not the clients
    hr_page = browser(hr).get(f"/managers/{manager.pk}/")
    assert hr_page.status_code == 200
    assert b"One Kft." not in hr_page.content


def test_hr_creates_a_manager_profile(hr):
    user = make_user(first_name="Nóra", last_name="Új")
    response = browser(hr).post(
        "/managers/new/",
        {
            "user": user.pk,
            "manager_type": "advice",
            "level": "junior",
            "work_mode": "personal",
            "employment_status": "active",
            "hire_date": "2024-05-01",
            "years_of_experience": 1,
        },
    )
    manager = user.manager_profile
    assert response["Location"] == f"/managers/{manager.pk}/"
    assert manager.capacity == 25
    assert user.groups.filter(name="Client manager").exists()


def test_payroll_cannot_edit_managers(payroll):
    manager = make_manager(capacity=7)
    response = browser(payroll).post(f"/managers/{manager.pk}/edit/", {"capacity": 99})
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.capacity == 7


def test_admin_lists_go_through_visibility(admin_user):
    make_client(name="Seen Kft.")
    page = browser(admin_user).get("/admin/clients/client/")
    assert page.status_code == 200
    assert b"Seen Kft." in page.content
    # a client manager has no admin access at all
    manager = make_manager()
    assert browser(manager.user).get("/admin/clients/client/").status_code == 302


def test_language_switch_to_hungarian(management):
    b = browser(management)
    b.post("/i18n/setlang/", {"language": "hu", "next": "/clients/"})
    page = b.get("/clients/")
    assert page.status_code == 200
    assert b'<html lang="hu">' in page.content
