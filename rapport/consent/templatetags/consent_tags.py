"""The consent block of a client's page."""

from django import template

from rapport.consent.views import section_context

register = template.Library()


@register.inclusion_tag("consent/_client_consent.html", takes_context=True)
def client_consent(context, client):
    """The client's current consent per purpose, the recent history, and for those who may record the buttons to
    record consent given or withdrawn and to e-mail the client their consent link."""
    return section_context(context["request"], client)
