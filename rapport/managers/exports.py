"""The manager list as a file: the list's filters and visibility, every matching row, streamed."""

from django.utils.translation import gettext as _

from rapport.core.export import list_export
from rapport.managers.selectors import manager_list


def manager_export(*, user, filters: dict, fmt: str):
    columns = [
        (_("ID"), lambda m: m.pk),
        (_("Name"), lambda m: m.name),
        (_("Type"), lambda m: m.get_manager_type_display()),
        (_("Level"), lambda m: m.get_level_display()),
        (_("Work mode"), lambda m: m.get_work_mode_display()),
        (_("VIP-qualified"), lambda m: _("yes") if m.vip_qualified else _("no")),
        (_("Clients"), lambda m: m.load),
        (_("Capacity"), lambda m: m.capacity),
        (_("Employment"), lambda m: m.get_employment_status_display()),
        (_("Hire date"), lambda m: m.hire_date),
    ]
    items = manager_list(user=user, filters=filters).iterator(2000)
    return list_export(fmt=fmt, filename="rapport-managers", title=_("Client managers"), columns=columns, items=items)
