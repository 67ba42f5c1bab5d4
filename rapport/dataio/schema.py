"""What can be imported: the fields of each kind of import, their labels and the headers they are guessed from."""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    CLIENTS = "clients"
    MANAGERS = "managers"
    ASSIGNMENTS = "assignments"
    CHOICES = [(CLIENTS, _("Clients")), (MANAGERS, _("Client managers")), (ASSIGNMENTS, _("Current assignments"))]
    VALUES = (CLIENTS, MANAGERS, ASSIGNMENTS)


@dataclass(frozen=True)
class Target:
    """A field a column can be mapped to."""

    name: str
    label: Promise
    aliases: tuple[str, ...] = ()


CLIENT_TARGETS = (
    Target("external_id", _("External id"), ("id", "external id", "client id", "customer id", "azonosito")),
    Target("kind", _("Kind"), ("type", "client type", "tipus")),
    Target("name", _("Name"), ("client", "client name", "company", "company name", "nev", "cegnev")),
    Target("registration_number", _("Registration number"), ("reg no", "regno", "company number", "cegjegyzekszam")),
    Target("tax_number", _("Tax number"), ("vat", "vat number", "tax id", "adoszam")),
    Target("email", _("E-mail"), ("e mail", "mail", "email address")),
    Target("phone", _("Phone"), ("telephone", "phone number", "telefon")),
    Target("address", _("Address"), ("street", "cim")),
    Target("city", _("City"), ("town", "varos")),
    Target("postal_code", _("Postal code"), ("zip", "zip code", "postcode", "iranyitoszam")),
    Target("country", _("Country"), ("country code", "orszag")),
    Target("language", _("Language"), ("lang", "nyelv")),
    Target("group", _("Client group"), ("group", "segment", "csoport")),
    Target("status", _("Status"), ("client status", "allapot")),
    Target("motivation", _("Motivation"), ()),
    Target("motivation_note", _("Motivation note"), ()),
    Target("is_vip", _("VIP"), ("vip", "is vip")),
    Target("vip_since", _("VIP since"), ()),
    Target("vip_reason", _("VIP reason"), ()),
    Target("vip_terms", _("Special cooperation terms"), ("vip terms", "terms")),
)

MANAGER_TARGETS = (
    Target("external_id", _("External id"), ("id", "external id", "manager id", "employee id")),
    Target("username", _("Username"), ("login", "user", "user name")),
    Target("first_name", _("First name"), ("given name", "keresztnev")),
    Target("last_name", _("Last name"), ("surname", "family name", "vezeteknev")),
    Target("email", _("E-mail"), ("e mail", "mail")),
    Target("manager_type", _("Manager type"), ("type",)),
    Target("level", _("Level"), ()),
    Target("work_mode", _("Work mode"), ("mode",)),
    Target("vip_qualified", _("VIP-qualified"), ("vip qualified", "vip")),
    Target("capacity", _("Capacity"), ()),
    Target("employment_status", _("Employment status"), ("status",)),
    Target("status_since", _("Status since"), ()),
    Target("hire_date", _("Hire date"), ("hired", "hired on", "start date")),
    Target("dismissal_date", _("Dismissal date"), ("dismissed", "dismissed on", "left on")),
    Target("years_of_experience", _("Years of experience"), ("experience",)),
)

ASSIGNMENT_TARGETS = (
    Target("client", _("Client (registration number or external id)"), ("client id", "registration number", "client")),
    Target("manager", _("Manager (external id or username)"), ("manager id", "manager", "username")),
    Target("start_date", _("From"), ("start", "start date", "since", "from")),
    Target("note", _("Note"), ("comment",)),
)

TARGETS = {Kind.CLIENTS: CLIENT_TARGETS, Kind.MANAGERS: MANAGER_TARGETS, Kind.ASSIGNMENTS: ASSIGNMENT_TARGETS}
# Fields a mapping must contain.
REQUIRED = {Kind.CLIENTS: ("name",), Kind.MANAGERS: ("username",), Kind.ASSIGNMENTS: ("client", "manager")}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[^\W_]+", plain))


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Header → field name for the headers that name a field (by its name, its label in the active language or
    a common alias); each field is guessed for one header at most, the first that names it."""
    names: dict[str, str] = {}
    for target in TARGETS[kind]:
        for word in (target.name.replace("_", " "), str(target.label), *target.aliases):
            names.setdefault(_plain(word), target.name)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = names.get(_plain(header))
        if field and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping
