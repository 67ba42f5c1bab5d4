"""The security log and the login lockout's answer.

Every login (success, failure, lockout) and every denied request is written to the ``rapport.security`` logger
with the username or user id, the client's address, the method and the path — never a password, a token or a
query string.
"""

import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger("rapport.security")

# Usernames are logged as typed, cut to this length: a password pasted into the username field stays unreadable
# in length and cannot flood the log.
USERNAME_LOG_LENGTH = 150


def client_address(request) -> str:
    """The client's IP address: the connection's own, or from X-Forwarded-For behind RAPPORT["PROXY_COUNT"] proxies.

    Each trusted proxy appends the address it saw, so the client is the entry that many places from the end;
    anything further left was written by the client and is not trusted.
    """
    request = getattr(request, "_request", request)  # a REST framework request wraps Django's
    proxies = settings.RAPPORT["PROXY_COUNT"]
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def loggable_username(username) -> str:
    return str(username or "")[:USERNAME_LOG_LENGTH]


def log_login_succeeded(request, user) -> None:
    logger.info(
        "login succeeded: user=%s username=%s address=%s path=%s",
        user.pk,
        loggable_username(user.get_username()),
        client_address(request) if request is not None else "",
        getattr(request, "path", ""),
    )


def log_login_failed(request, credentials: dict) -> None:
    # Django has already masked secrets in ``credentials``; only the username is kept anyway.
    logger.warning(
        "login failed: username=%s address=%s path=%s",
        loggable_username(credentials.get("username")),
        client_address(request) if request is not None else "",
        getattr(request, "path", ""),
    )


def log_locked_out(request, username) -> None:
    logger.warning(
        "login locked out: username=%s address=%s path=%s",
        loggable_username(username),
        client_address(request) if request is not None else "",
        getattr(request, "path", ""),
    )


def log_denied(request, status: int) -> None:
    """A request answered 401, 403 or 429: who, from where, what."""
    user = getattr(request, "user", None)
    logger.warning(
        "access denied: status=%s user=%s address=%s method=%s path=%s",
        status,
        user.pk if user is not None and user.is_authenticated else "-",
        client_address(request),
        request.method,
        loggable_path(request),
    )


def loggable_path(request) -> str:
    """The path, or its route when a part of it is a credential (a rating link's token)."""
    match = getattr(request, "resolver_match", None)
    if match is not None and any("token" in name for name in match.kwargs):
        return "/" + match.route
    return request.path


def lockout_response(request, original_response=None, credentials=None):
    """Too many failed logins from this address for this username: 429, as JSON for the API, a page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed login attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        response = render(request, "registration/lockout.html", {"minutes": minutes, "message": message}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
