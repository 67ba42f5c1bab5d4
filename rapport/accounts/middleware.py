"""Session time limits and the log of denied requests."""

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import resolve_url

from rapport.accounts import security, sessions

logger = logging.getLogger("rapport.security")

DENIED_STATUSES = frozenset({401, 403, 429})


class SessionTimeoutMiddleware:
    """Log out a session idle too long or older than the absolute limit (see ``rapport.accounts.sessions``).

    The request then goes on as anonymous, so a page asks for a login as it would for anyone else; an htmx request
    is told to load the login page as a whole page rather than swap it into a fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key_before = request.session.session_key
        response = self._limit(request)
        if response is None:
            response = self.get_response(request)
        # A password change gives the session a new key (``update_session_auth_hash``): keep the register in step.
        key_after = request.session.session_key
        if key_before and key_after and key_after != key_before and request.user.is_authenticated:
            sessions.session_rekeyed(key_before, key_after)
        return response

    def _limit(self, request):
        """Log out an expired session; for htmx, the answer that sends the browser to the login page."""
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.session_expiry(request.session)
            if reason is not None:
                logger.info(
                    "session ended: reason=%s user=%s address=%s",
                    reason,
                    user.pk,
                    security.client_address(request),
                )
                logout(request)
                if request.headers.get("HX-Request") == "true":
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
        return None


class DeniedAccessLogMiddleware:
    """Write every 401, 403 and 429 answer (UI, admin, API) to the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in DENIED_STATUSES:
            security.log_denied(request, response.status_code)
        return response
