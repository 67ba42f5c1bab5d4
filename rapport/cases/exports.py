"""The case and interaction lists as files: the lists' filters and visibility, every matching row, streamed."""

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.cases.selectors import case_list, interaction_list
from rapport.core.export import list_export


def _local(moment):
    """A moment as the site's local time without the zone (spreadsheets have no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def case_export(*, user, filters: dict, fmt: str, request=None):
    columns = [
        (_("ID"), lambda c: c.pk),
        (_("Subject"), lambda c: c.subject),
        (_("Client"), lambda c: c.client.name),
        (_("Status"), lambda c: c.get_status_display()),
        (_("Priority"), lambda c: c.get_priority_display()),
        (_("Category"), lambda c: c.get_category_display()),
        (_("Handler"), lambda c: c.handler.name if c.handler_id else ""),
        (_("Opened at"), lambda c: _local(c.opened_at)),
        (_("Acknowledge by"), lambda c: _local(c.acknowledge_due_at)),
        (_("Resolve by"), lambda c: _local(c.resolve_due_at)),
        (_("Resolved at"), lambda c: _local(c.resolved_at)),
    ]
    items = case_list(user=user, filters=filters, request=request).iterator(2000)
    return list_export(fmt=fmt, filename="rapport-cases", title=_("Cases"), columns=columns, items=items)


def interaction_export(*, user, filters: dict, fmt: str, request=None):
    columns = [
        (_("ID"), lambda i: i.pk),
        (_("When"), lambda i: _local(i.occurred_at)),
        (_("Client"), lambda i: i.client.name),
        (_("Manager"), lambda i: i.manager.name),
        (_("Channel"), lambda i: i.get_channel_display()),
        (_("Summary"), lambda i: i.summary),
        (_("Outcome"), lambda i: i.outcome),
        (_("Follow up on"), lambda i: i.follow_up_on),
        (_("Case"), lambda i: i.case_id),
    ]
    items = interaction_list(user=user, filters=filters, request=request).iterator(2000)
    return list_export(fmt=fmt, filename="rapport-interactions", title=_("Interactions"), columns=columns, items=items)
