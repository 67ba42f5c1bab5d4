"""Formatting for the dashboard and the workspace panels, in the active language."""

from django import template

from rapport.insight.tables import shown

register = template.Library()


@register.filter
def percent(value):
    """A share (0–1) as a percentage with one decimal: ``0.625`` → ``62.5 %`` (``62,5 %`` in Hungarian)."""
    return shown(value, "pct")


@register.filter
def rating(value):
    """A rating with two decimals, half up."""
    return shown(value, "rating")


@register.filter
def money(value, currency):
    """An amount with its currency's decimals, digits grouped."""
    return shown(value, "money", currency or "")
