"""The client list as a file: the filters and the visibility of the page, every matching row, streamed."""

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from rapport.assignment.models import Assignment
from rapport.clients.choices import ClientKind, ClientStatus, Motivation
from rapport.clients.selectors import client_list
from rapport.core.export import list_export


def _label(choices):
    labels = dict(choices)
    return lambda value: str(labels.get(value, value))


def client_export(*, user, filters: dict, fmt: str, request=None):
    """The clients ``user`` may see with the list's ``filters``; no VIP terms (they stay on the client's page)."""
    current = Assignment.objects.filter(client=OuterRef("pk"), end_date__isnull=True).order_by()
    manager_name = Concat("manager__user__first_name", Value(" "), "manager__user__last_name")
    queryset = client_list(user=user, filters=filters, request=request).annotate(
        manager_name=Subquery(current.annotate(n=manager_name).values("n")[:1])
    )
    kind, status, motivation = _label(ClientKind.choices), _label(ClientStatus.choices), _label(Motivation.choices)
    columns = [
        (_("ID"), lambda c: c.pk),
        (_("Name"), lambda c: c.name),
        (_("Kind"), lambda c: kind(c.kind)),
        (_("Registration number"), lambda c: c.registration_number),
        (_("Tax number"), lambda c: c.tax_number),
        (_("E-mail"), lambda c: c.email),
        (_("Phone"), lambda c: c.phone),
        (_("City"), lambda c: c.city),
        (_("Country"), lambda c: c.country),
        (_("Client group"), lambda c: c.group.name if c.group_id else ""),
        (_("Status"), lambda c: status(c.status)),
        (_("VIP"), lambda c: _("yes") if c.is_vip else _("no")),
        (_("Motivation"), lambda c: motivation(c.motivation)),
        (_("Personal manager"), lambda c: c.manager_name or ""),
        (_("Acquired on"), lambda c: c.acquired_on),
    ]
    return list_export(
        fmt=fmt, filename="rapport-clients", title=_("Clients"), columns=columns, items=queryset.iterator(2000)
    )
