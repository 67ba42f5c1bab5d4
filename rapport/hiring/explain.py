"""Sentences in the reader's language: the fit score's lines and the wording checker's flags.

The engine and the checker return codes with parameters; the sentences are made here, when they are read, so a
fit evaluation stored last year reads in today's language of whoever opens it.
"""

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rapport.core.money import currency_digits, quantize
from rapport.hiring.adcheck import AGE, APPEARANCE, FAMILY, ORIGIN, RELIGION, SEX, Flag
from rapport.hiring.choices import EducationField, EducationLevel, KnowledgeArea, Quality


def number_text(value) -> str:
    """A score, level or number of points in the reader's format: at most two decimals, none when whole."""
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return number_format(number.quantize(Decimal(1)), decimal_pos=0, use_l10n=True)
    number = number.normalize()
    return number_format(number, decimal_pos=max(0, -number.as_tuple().exponent), use_l10n=True)


def money_text(value, currency: str) -> str:
    """An amount with its currency, digits grouped in the reader's format (``450 000 HUF``)."""
    if value is None:
        return "—"
    amount = number_format(
        quantize(Decimal(value), currency), decimal_pos=currency_digits(currency), use_l10n=True, force_grouping=True
    )
    return f"{amount} {currency}"


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value or "—"))


def fit_line_sentence(line: dict) -> str:
    """The sentence of one fit line (``FitLine.as_dict()``)."""
    p = dict(line.get("params") or {})
    values = {
        "points": number_text(line.get("points")),
        "max": number_text(line.get("max_points")),
        "years": number_text(p.get("years")),
        "minimum_years": number_text(p.get("minimum")),
        "full": number_text(p.get("full")),
        "level": _label(EducationLevel, p.get("level", "")),
        "minimum_level": _label(EducationLevel, p.get("minimum", "")),
        "field": _label(EducationField, p.get("field", "")),
        "preferred": _label(EducationField, p.get("preferred", "")),
        "accepted": ", ".join(_label(EducationField, f) for f in (p.get("accepted") or "").split(",") if f) or "—",
        "area": _label(KnowledgeArea, line.get("item", "")),
        "quality": _label(Quality, line.get("item", "")),
        "assessed": number_text(p.get("level")),
        "required": number_text(p.get("required")),
        "weight": number_text(p.get("weight")),
        "score": number_text(p.get("score")),
        "clients": number_text(p.get("clients")),
        "target": number_text(p.get("target")),
    }
    sentences = {
        "experience_full": _("%(years)s years of experience: full credit (from %(full)s years)."),
        "experience_partial": _("%(years)s years of experience of the %(full)s that earn full credit."),
        "experience_below_minimum": _(
            "%(years)s years of experience, fewer than the minimum of %(minimum_years)s: knock-out."
        ),
        "education_met": _("%(level)s education in %(field)s meets the minimum (%(minimum_level)s)."),
        "education_preferred": _("%(level)s education in the preferred field, %(field)s."),
        "education_not_preferred": _(
            "%(level)s education in %(field)s: accepted, but not the preferred field (%(preferred)s), so half."
        ),
        "education_below_minimum": _("%(level)s education is below the minimum (%(minimum_level)s): knock-out."),
        "education_field_not_accepted": _("%(field)s is not an accepted field of education (%(accepted)s): knock-out."),
        "knowledge_met": _("%(area)s: assessed %(assessed)s, required %(required)s — met."),
        "knowledge_partial": _("%(area)s: assessed %(assessed)s of the required %(required)s."),
        "knowledge_essential_missing": _(
            "%(area)s is essential: assessed %(assessed)s, below the required %(required)s — knock-out."
        ),
        "knowledge_not_assessed": _("%(area)s (required %(required)s) has not been assessed by any interviewer."),
        "quality_scored": _("%(quality)s (weight %(weight)s): average score %(score)s of 5."),
        "quality_not_assessed": _("%(quality)s (weight %(weight)s) has not been scored by any interviewer."),
        "client_base_none": _("Brings no own client base."),
        "client_base_other_field": _(
            "Brings %(clients)s clients, but not in a field of the company that the profile counts."
        ),
        "client_base_partial": _(
            "Brings %(clients)s clients new to the company in its field, of the %(target)s that earn full credit."
        ),
        "client_base_full": _(
            "Brings %(clients)s clients new to the company in its field (full credit from %(target)s)."
        ),
    }
    sentence = sentences.get(line.get("code"), line.get("code", ""))
    return sentence % values


def part_label(part: str) -> str:
    return {
        "experience": _("Experience"),
        "education": _("Education"),
        "knowledge": _("Knowledge"),
        "qualities": _("Personal qualities"),
        "client_base": _("Own client base"),
    }.get(part, part)


LAW = _(
    "Choosing candidates by it is unlawful discrimination: EU Directive 2000/78/EC, the Hungarian Equal Treatment "
    "Act (CXXV of 2003) and the Russian Labour Code (art. 64)."
)


def flag_sentence(flag: Flag) -> str:
    """Why a phrase is flagged and what to write instead."""
    reasons = {
        AGE: _(
            "An age limit or age wording excludes applicants by age. Describe the experience, knowledge or skills "
            'the work needs instead (e.g. "at least 3 years with corporate clients").'
        ),
        SEX: _("A requirement about sex or gender excludes applicants for who they are. Address everyone."),
        ORIGIN: _(
            "Nationality, origin or mother tongue says nothing about the work. Ask for the language level the "
            'work needs (e.g. "fluent Hungarian") or for the right to work in the country.'
        ),
        FAMILY: _("Family status, children or pregnancy must play no part in hiring."),
        APPEARANCE: _(
            "Appearance and a photo invite judging applicants by looks, age or origin. Ask for a professional, "
            "courteous manner instead, and do not ask for a photo."
        ),
        RELIGION: _("Religion or belief must play no part in hiring."),
    }
    text = reasons.get(flag.category, "")
    if flag.blocks:
        return f"{text} {LAW}"
    return f"{text} " + _("This wording often excludes indirectly: review it before saving.")


def flags_as_dicts(flags: list[Flag]) -> list[dict]:
    """Flags for templates and the API: the phrase, where it is, the rule and the explanation."""
    return [
        {
            "text": flag.text,
            "start": flag.start,
            "end": flag.end,
            "code": flag.code,
            "category": flag.category,
            "severity": flag.severity,
            "language": flag.language,
            "explanation": flag_sentence(flag),
        }
        for flag in flags
    ]
