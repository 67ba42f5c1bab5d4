"""A statement line's explanation — a code and parameters, as the engine (``engine/calculate.py``) and the period
run (``run.py``) store it — rendered as a sentence in the reader's language.

Stored parameters are plain JSON (numbers as decimal strings); they are rendered here, at the time of reading, so
a statement reads in Hungarian for one reader and in Russian for the next. A line Payroll overrode carries the
override (amount, reason, who) beside its code, and the sentence says so.
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.compensation.choices import LineKind
from rapport.core.money import currency_digits, quantize

LEVELS = {"junior": gettext_lazy("junior"), "middle": gettext_lazy("middle"), "senior": gettext_lazy("senior")}


def number(value) -> str:
    """A stored number for people: trailing zeros dropped (``"10.00"`` → ``10``), the locale's decimal mark."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    amount = amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()
    return number_format(amount, decimal_pos=max(0, -amount.as_tuple().exponent), use_l10n=True)


def money(value, currency: str | None) -> str:
    """A stored amount for people, with its currency's decimals (``"20000.00"`` HUF → ``20000``; RUB ``45000.50``);
    without a currency, as ``number``."""
    if not currency:
        return number(value)
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(quantize(amount, currency), decimal_pos=currency_digits(currency), use_l10n=True)


def amount_text(value, currency: str) -> str:
    """An amount in a table: the currency's decimals, digits grouped (``450 000`` in Hungarian)."""
    if value is None:
        return "—"
    return number_format(
        quantize(Decimal(value), currency), decimal_pos=currency_digits(currency), use_l10n=True, force_grouping=True
    )


def quantity_text(value) -> str:
    """A line's quantity: at most four decimals, none when whole (``1``, ``2.3548``)."""
    if value is None:
        return ""
    shown = Decimal(value).quantize(Decimal("0.0001"))
    shown = shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown.normalize()
    return number_format(shown, decimal_pos=max(0, -shown.as_tuple().exponent), use_l10n=True)


def _month(value) -> str:
    return str(value or "")[:7]


def _line_label(kind) -> str:
    return str(dict(LineKind.choices).get(kind, kind))


def _base(p: dict) -> str:
    return _("Base salary of a %(level)s manager: %(days)s of %(days_in_month)s days employed.") % {
        "level": LEVELS.get(p["level"], p["level"]),
        "days": p["days"],
        "days_in_month": p["days_in_month"],
    }


def _allowance(p: dict, vip: bool) -> str:
    if vip:
        text = ngettext(
            "%(clients)s VIP client, %(client_days)s client-days ÷ %(days_in_month)s days in the month.",
            "%(clients)s VIP clients, %(client_days)s client-days ÷ %(days_in_month)s days in the month.",
            p["clients"],
        )
    else:
        text = ngettext(
            "%(clients)s corporate client, %(client_days)s client-days ÷ %(days_in_month)s days in the month.",
            "%(clients)s corporate clients, %(client_days)s client-days ÷ %(days_in_month)s days in the month.",
            p["clients"],
        )
    return text % {"clients": p["clients"], "client_days": p["client_days"], "days_in_month": p["days_in_month"]}


def _acquisition(p: dict, vip: bool) -> str:
    if vip:
        text = ngettext("%(count)s VIP client won in the month.", "%(count)s VIP clients won in the month.", p["count"])
    else:
        text = ngettext("%(count)s client won in the month.", "%(count)s clients won in the month.", p["count"])
    return text % {"count": p["count"]}


def _service(p: dict) -> str:
    text = ngettext(
        "%(count)s distinct client served (pool manager).",
        "%(count)s distinct clients served (pool manager).",
        p["count"],
    )
    return text % {"count": p["count"]}


def _rating(p: dict) -> str:
    text = ngettext(
        "Smoothed rating %(smoothed)s from %(count)s rating reaches the %(threshold)s tier.",
        "Smoothed rating %(smoothed)s from %(count)s ratings reaches the %(threshold)s tier.",
        p["count"],
    )
    return text % {"smoothed": number(p["smoothed"]), "count": p["count"], "threshold": number(p["threshold"])}


def _cap(p: dict, currency: str | None) -> str:
    return _("Bonuses of %(earned)s capped at %(percent)s %% of the base (%(cap)s).") % {
        "earned": money(p["earned"], currency),
        "percent": number(p["percent"]),
        "cap": money(p["cap"], currency),
    }


def _correction(p: dict, currency: str | None) -> str:
    return _("Correction for %(month)s: %(line)s was paid %(paid)s, is now %(now)s.") % {
        "month": _month(p["month"]),
        "line": _line_label(p["line"]),
        "paid": money(p["paid"], currency),
        "now": money(p["now"], currency),
    }


# code → renderer(params, currency)
RENDERERS = {
    "base": lambda p, c: _base(p),
    "allowance_corporate": lambda p, c: _allowance(p, vip=False),
    "allowance_vip": lambda p, c: _allowance(p, vip=True),
    "acquisition": lambda p, c: _acquisition(p, vip=False),
    "acquisition_vip": lambda p, c: _acquisition(p, vip=True),
    "service": lambda p, c: _service(p),
    "rating": lambda p, c: _rating(p),
    "cap": _cap,
    "adjustment": _correction,
    "clawback": _correction,
}


def explain(explanation: dict | None, currency: str | None = None) -> str:
    """The sentence of a line's ``explanation`` (``{"code", "params", "override"?}``) in the active language.

    A line Payroll added by hand (no computed line to override) has a code without parameters: it reads as set by
    Payroll, with the reason. Amounts show ``currency``'s decimals (the statement's currency)."""
    explanation = explanation or {}
    renderer = RENDERERS.get(explanation.get("code"))
    try:
        sentence = renderer(explanation.get("params") or {}, currency) if renderer else ""
    except KeyError:
        sentence = ""
    override = explanation.get("override")
    if override:
        reason = _("(overridden by Payroll: %(reason)s)") % {"reason": override.get("reason", "")}
        sentence = f"{sentence} {reason}" if sentence else reason
    return sentence
