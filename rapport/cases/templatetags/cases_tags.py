"""Template helpers of cases: routing reasons in words, and the service block of a client's page."""

from django import template

from rapport.accounts import roles
from rapport.cases import selectors
from rapport.cases.choices import RoutingReason

register = template.Library()


@register.filter
def routing_reasons(codes) -> str:
    """Routing reason codes as words in the reader's language, joined by semicolons."""
    labels = dict(RoutingReason.choices)
    return "; ".join(str(labels.get(code, code)) for code in codes or [])


@register.inclusion_tag("cases/_client_service.html", takes_context=True)
def client_service(context, client):
    """The latest cases and interactions of ``client`` the viewer may see, with links to open a case or log an
    interaction."""
    user = context["request"].user
    works = roles.is_client_manager(user) or roles.is_management(user)
    return {"client": client, "can_work": works, **selectors.client_service(user=user, client=client)}
