"""Web sessions and API tokens of a user: opened at login, timed out when idle or old, ended at deactivation.

Why a timestamp in the session rather than ``SESSION_SAVE_EVERY_REQUEST``: the idle limit needs the time of the
last request, but writing the session on every request costs a database write per page. The last-seen time is
rewritten at most once a minute (``SEEN_RESOLUTION``), so the idle limit is exact to a minute for a fraction of
the writes. The absolute limit counts from the login time stored in the session, and the cookie itself expires
then too (``SESSION_COOKIE_AGE``).
"""

import time
from importlib import import_module

from django.conf import settings

LOGIN_AT = "rapport_login_at"
SEEN_AT = "rapport_seen_at"
SEEN_RESOLUTION = 60  # seconds


def session_opened(request, user) -> None:
    """After a login through ``django.contrib.auth.login``: note the time and which user the session belongs to."""
    from rapport.accounts.models import UserSession

    session = getattr(request, "session", None)
    if session is None or session.session_key is None:
        return  # an API token login: no session was opened
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    UserSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})


def session_closed(session_key: str | None) -> None:
    """After a logout: forget the session."""
    from rapport.accounts.models import UserSession

    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def session_rekeyed(old_key: str, new_key: str) -> None:
    """The session got a new key while signed in (a password change): the register follows it."""
    from rapport.accounts.models import UserSession

    UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_expiry(session, *, now: float | None = None) -> str | None:
    """Why the session must end now (``"idle"`` or ``"max-age"``), or None; notes the request's time otherwise."""
    now = time.time() if now is None else now
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None or seen_at is None:  # a session from before these limits: they start counting now
        session[LOGIN_AT] = login_at or int(now)
        session[SEEN_AT] = int(now)
        return None
    if now - login_at > settings.RAPPORT["SESSION_MAX_HOURS"] * 3600:
        return "max-age"
    if now - seen_at > settings.RAPPORT["SESSION_IDLE_MINUTES"] * 60:
        return "idle"
    if now - seen_at >= SEEN_RESOLUTION:
        session[SEEN_AT] = int(now)
    return None


def end_all_access(user) -> None:
    """End every web session and API token of ``user`` (call inside the transaction that deactivates them)."""
    from knox.models import get_token_model

    from rapport.accounts.models import UserSession

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    if keys:
        if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
            from django.contrib.sessions.models import Session

            Session.objects.filter(session_key__in=keys).delete()
        else:
            store = import_module(settings.SESSION_ENGINE).SessionStore
            for key in keys:  # caches and files: one key at a time (a person has a handful)
                store(session_key=key).delete()
        UserSession.objects.filter(user=user).delete()
    get_token_model().objects.filter(user=user).delete()
