"""Commands act as a named user, so authority and history work as in the UI."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def add_actor_argument(parser) -> None:
    parser.add_argument("--as", dest="actor", required=True, help="Username of the Management user acting.")


def actor_from(options):
    user = get_user_model().objects.filter(username=options["actor"], is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {options['actor']!r}.")
    return user
