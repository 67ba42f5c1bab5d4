"""Receivers of Django's and Axes's login signals: the security log and the register of web sessions.

These are authentication plumbing, not domain side effects: they only log and track sessions.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from rapport.accounts import security, sessions


def _on_logged_in(sender, request, user, **kwargs) -> None:
    security.log_login_succeeded(request, user)
    # An API token login (django-rest-knox) sends this signal too, with its own request type and no new session.
    if isinstance(request, HttpRequest):
        sessions.session_opened(request, user)


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if isinstance(request, HttpRequest) and hasattr(request, "session"):
        sessions.session_closed(request.session.session_key)


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    security.log_login_failed(request, credentials)


def _on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security.log_locked_out(request, username)


def connect() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="rapport_security_logged_in")
    user_logged_out.connect(_on_logged_out, dispatch_uid="rapport_security_logged_out")
    user_login_failed.connect(_on_login_failed, dispatch_uid="rapport_security_login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="rapport_security_locked_out")
