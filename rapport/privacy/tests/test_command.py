"""``manage.py personal-data export|erase``: thin over the services."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from rapport.accounts.roles import Role
from rapport.clients.models import Client
from rapport.core.testing import make_manager, make_user
from rapport.privacy.tests.support import EMAIL, NAME, make_person, spread_personal_data

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("personal-data", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_export_writes_the_clients_data_as_json_to_a_file(tmp_path):
    # given a client with data in several apps
    client = make_person()
    spread_personal_data(client)
    target = tmp_path / "export.json"

    # when it is exported to a file
    run("export", "--client", str(client.pk), "--output", str(target))

    # then the file holds the export
    export = json.loads(target.read_text(encoding="utf-8"))
    assert export["client"] == str(client.pk)
    assert export["data"]["clients"]["Client"][0]["email"] == EMAIL
    assert export["data"]["cases"]["Interaction"][0]["summary"] == f"Met {NAME}"


def test_export_writes_to_standard_output_by_default():
    client = make_person()

    export = json.loads(run("export", "--client", str(client.pk)))

    assert export["data"]["clients"]["Client"][0]["name"] == NAME


def test_erase_dry_run_lists_rows_and_changes_nothing():
    client = make_person()
    make_user(Role.MANAGEMENT, username="boss")

    out = run("erase", "--client", str(client.pk), "--as", "boss", "--dry-run")

    assert out.splitlines() == [
        "clients.Client: 1 row(s)",
        "clients.HistoricalClient: 2 row(s)",
        "Dry run: nothing changed.",
    ]
    assert Client.objects.get(pk=client.pk).name == NAME


def test_erase_anonymises_the_client():
    client = make_person()
    make_user(Role.MANAGEMENT, username="boss")

    out = run("erase", "--client", str(client.pk), "--as", "boss")

    assert out == f"Client {client.pk} anonymised.\n"
    assert Client.objects.get(pk=client.pk).name == f"Anonymised client #{client.pk}"


def test_erase_of_a_held_client_names_the_hold():
    client = make_person()
    spread_personal_data(client, closed=False)
    make_user(Role.MANAGEMENT, username="boss")

    with pytest.raises(CommandError, match="open_case, open_opportunity"):
        run("erase", "--client", str(client.pk), "--as", "boss")

    assert Client.objects.get(pk=client.pk).name == NAME


def test_erase_as_a_client_manager_is_refused():
    client = make_person()
    make_manager(user=make_user(Role.CLIENT_MANAGER, username="kim"))

    with pytest.raises(CommandError, match="not Management"):
        run("erase", "--client", str(client.pk), "--as", "kim")

    assert Client.objects.get(pk=client.pk).name == NAME
