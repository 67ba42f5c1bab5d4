"""Template filters of pay: amounts with their currency's decimals, quantities without noise."""

from django import template

from rapport.compensation.explain import amount_text, quantity_text

register = template.Library()


@register.filter
def amount(value, currency: str) -> str:
    """``{{ line.amount|amount:statement.currency }}`` → ``450,000`` (grouped, the currency's decimals)."""
    return amount_text(value, currency)


@register.filter
def quantity(value) -> str:
    """``{{ line.quantity|quantity }}`` → ``1`` or ``0.3548``."""
    return quantity_text(value)
