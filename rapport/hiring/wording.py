"""Fair wording of HR texts: the checker applied wherever a vacancy text, a job description or a template is
saved. A blocking flag refuses the text; warnings refuse it until someone confirms they reviewed them."""

from django.utils.translation import gettext as _

from rapport.core.errors import refuse
from rapport.hiring.adcheck import Flag, check_text
from rapport.hiring.errors import HiringError
from rapport.hiring.explain import flag_sentence


def _listing(flags: list[Flag]) -> str:
    return " ".join(f"«{flag.text}»: {flag_sentence(flag)}" for flag in flags[:5])


def require_fair_wording(text: str, *, field: str, confirmed: bool = False) -> list[Flag]:
    """Refuse ``text`` if it has a blocking flag, or warnings that are not ``confirmed``; return the flags."""
    flags = check_text(text)
    blocking = [flag for flag in flags if flag.blocks]
    if blocking:
        raise refuse(
            HiringError.DISCRIMINATORY_TEXT,
            _("The text sets criteria no candidate may be chosen by. %(flags)s") % {"flags": _listing(blocking)},
            field=field,
            flags=[flag.text for flag in blocking],
        )
    if flags and not confirmed:
        raise refuse(
            HiringError.TEXT_NEEDS_REVIEW,
            _("Review this wording, then confirm to save. %(flags)s") % {"flags": _listing(flags)},
            field=field,
            flags=[flag.text for flag in flags],
        )
    return flags
