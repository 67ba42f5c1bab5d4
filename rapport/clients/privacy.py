"""The client registry's personal data (see ``rapport.privacy.registry``): the client's profile and its history."""

from rapport.clients.choices import ClientKind
from rapport.core.names import name_key
from rapport.privacy.registry import register_no_personal_data, register_personal_data

CLIENT_FIELDS = (
    "tax_number",
    "email",
    "phone",
    "address",
    "city",
    "postal_code",
    "vip_reason",
    "vip_terms",
    "motivation_note",
    "external_id",
)


def anonymised_name(client_id: int) -> str:
    """The name an anonymised client keeps (stored data, so not translated)."""
    return f"Anonymised client #{client_id}"


def _erase_client(rows, client) -> None:
    # The name stays readable in lists; a legal entity keeps a registration number (the database requires a unique
    # one), made from the id.
    name = anonymised_name(client.pk)
    rows.update(name=name)
    rows.filter(kind=ClientKind.LEGAL_ENTITY).update(registration_number=f"ANON-{client.pk}")
    rows.exclude(kind=ClientKind.LEGAL_ENTITY).update(registration_number="")
    if hasattr(rows.model, "name_key"):
        rows.update(name_key=name_key(name))


def register() -> None:
    from rapport.clients.models import Client, ClientGroup

    register_personal_data(
        Client,
        rows="id",
        fields=CLIENT_FIELDS,
        kept={
            "name": "replaced by 'Anonymised client #<id>'",
            "registration_number": "replaced by ANON-<id> for a legal entity (required and unique), else blanked",
            "country": "a country code alone identifies nobody",
            "name_key": "rebuilt from the replaced name",
        },
        history=True,
        erase=_erase_client,
    )
    register_no_personal_data(ClientGroup, "segments of clients named by Management, no person's data")
    register_no_personal_data(ClientGroup.history.model, "the history of client groups")
