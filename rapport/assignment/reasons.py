"""Reasons of a plan's changes: stored as codes with parameters, rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from rapport.clients.choices import Motivation
from rapport.managers.choices import ManagerLevel, ManagerType

MESSAGES = {
    # Why a client goes to a manager: the hard rules met …
    "legal_entity": _("the client is a legal entity"),
    "manager_active_personal": _("%(manager)s is active and works with personal clients"),
    "vip_qualified": _("a VIP client, and %(manager)s is VIP-qualified"),
    "capacity": _("%(manager)s holds %(load)s of %(capacity)s clients after the plan"),
    # … and the soft terms of its cost.
    "motivation_match": _("the client's motivation (%(motivation)s) matches the manager's type"),
    "motivation_mismatch": _(
        "the client's motivation (%(motivation)s) differs from the manager's type (%(manager_type)s)"
    ),
    "motivation_unknown": _("the client's motivation is not known yet"),
    "group_served": _("%(manager)s serves the client group %(group)s"),
    "group_not_served": _("%(manager)s does not serve the client group %(group)s"),
    "vip_with_junior": _("a VIP client with a junior manager"),
    "continuity": _("stays with %(manager)s"),
    "move": _("moves from %(from)s to %(to)s"),
    "current_manager_unavailable": _("%(from)s can no longer hold personal clients"),
    "load": _("%(manager)s is at %(percent)s%% of capacity after the plan"),
    # Why a client stays without a manager.
    "no_manager": _("no active personal manager at all"),
    "no_vip_qualified_manager": _("no active VIP-qualified personal manager"),
    "no_capacity": _("no active%(vip)s personal manager with free capacity%(serving)s"),
    # A client just won.
    "winner": _("the manager who won the client may hold it"),
    "no_manager_available": _("no active personal manager may take the client now: it waits for the next plan"),
}

# The reason a reviewer wants first.
_FIRST = ("current_manager_unavailable", "move", "no_manager", "no_vip_qualified_manager", "no_capacity")


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def describe_reasons(reasons: list[dict], from_name: str | None = None) -> list[str]:
    """Render stored reasons as sentences in the active language; costs in brackets. ``from_name``: the manager
    the client leaves (stored on the change row, not in the shared reasons)."""
    lines = []
    ordered = sorted(
        reasons or [], key=lambda r: (r.get("code") not in _FIRST, r.get("kind") == "rule", -(r.get("cost") or 0))
    )
    for reason in ordered:
        params = dict(reason.get("params") or {})
        if "from" in params and params["from"] is None:
            params["from"] = from_name or "—"
        if "motivation" in params:
            params["motivation"] = _label(Motivation, params["motivation"])
        if "manager_type" in params:
            params["manager_type"] = _label(ManagerType, params["manager_type"])
        if "level" in params:
            params["level"] = _label(ManagerLevel, params["level"])
        if reason.get("code") == "no_capacity":
            params["vip"] = " " + str(_("VIP-qualified")) if params.get("vip") else ""
            params["serving"] = (
                " " + str(_("serving group %(group)s") % {"group": params["group"]}) if params.get("group") else ""
            )
        for key in ("manager", "from", "to"):
            if isinstance(params.get(key), int):
                params[key] = str(_("manager %(id)s") % {"id": params[key]})
        template = MESSAGES.get(reason.get("code"))
        try:
            text = str(template) % params if template is not None else str(reason.get("code"))
        except (KeyError, TypeError, ValueError):
            text = str(template)
        cost = reason.get("cost")
        lines.append(f"{text} (+{cost})" if cost else text)
    return lines
