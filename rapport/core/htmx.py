"""One view, full page or htmx partial."""

from django.http import HttpRequest


def htmx_partial(request: HttpRequest, full: str, partial: str) -> str:
    """Return the partial template for an htmx request that targets part of the page, else the full page."""
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        return partial
    return full
