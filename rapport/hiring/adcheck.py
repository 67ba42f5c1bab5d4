"""The job-ad wording checker: age limits and other discriminatory wording in English, Hungarian and Russian.

Rapport never asks a candidate's age, sex, nationality, family status or religion, and a vacancy text must not
either: Directive 2000/78/EC (age, religion, disability, sexual orientation) and 2006/54/EC (sex) in the EU, the
Hungarian Equal Treatment Act (Act CXXV of 2003, 8. §) and the Russian Labour Code (art. 64; art. 3) forbid
choosing candidates by them. The checker runs over every language's rules whatever the text's language (ads mix
languages) and returns flags with a code, a category and a severity:

- ``block``: an explicit requirement (an age limit or range, "men only", a nationality, "no children") — a text
  with one is refused;
- ``warn``: wording that often excludes indirectly ("young, dynamic team", "native speaker", "pleasant
  appearance", a CV with a photo, citizenship) — it is saved only after someone confirms they reviewed it.

Phrases that deny a criterion ("regardless of age", "kortól függetlenül", "независимо от возраста") are not flagged,
nor are numbers that are about something else ("over 20 years of experience", "up to 35 clients", "опыт от 10
лет"). This module is pure Python; ``explain.py`` turns flags into sentences.
"""

import re
from dataclasses import dataclass

BLOCK = "block"
WARN = "warn"

AGE = "age"
SEX = "sex"
ORIGIN = "origin"
FAMILY = "family"
APPEARANCE = "appearance"
RELIGION = "religion"
CATEGORIES = (AGE, SEX, ORIGIN, FAMILY, APPEARANCE, RELIGION)

_N = r"(?:1[6-9]|[2-7]\d)"  # an age: 16–79
_DASH = r"\s*(?:-|–|—)\s*"
_FLAGS = re.IGNORECASE | re.UNICODE

# A denial just before or after a match cancels it.
_DENIAL_BEFORE = re.compile(
    r"(?:regardless\s+of|irrespective\s+of|independent(?:ly)?\s+of|no\s+matter|"
    r"независимо\s+от|вне\s+зависимости\s+от)[^.;!?\n]{0,40}$|\bбез\s+$",
    _FLAGS,
)
_DENIAL_AFTER = re.compile(r"^[^.;!?\n]{0,40}?(?:függetlenül|tekintet\s+nélkül)", _FLAGS)
_EXPERIENCE_BEFORE = re.compile(r"(?:опыт|стаж)\w*[^.;!?\n]{0,25}$", _FLAGS)
_HU_EXPERIENCE_AFTER = re.compile(
    r"^\s+(?:\w+\s+)?(?:szakmai\s+)?(?:tapasztalat|gyakorlat|munkatapasztalat|munkaviszony)", _FLAGS
)
# What a number after "under/over/up to" may be about instead of an age.
_EN_NOT_AGE_AFTER = re.compile(
    r"^\s*(?:%|percent|per\s*cent|,\d|\.\d|000|k\b|\+|"
    r"(?:clients?|customers?|accounts?|compan(?:y|ies)|people|persons?|employees?|staff|members?|hours?|hrs?|"
    r"minutes?|mins?|days?|weeks?|months?|km|kilomet|miles?|calls?|deals?|meetings?|visits?|million|thousand|"
    r"eur|usd|huf|rub|ft|€|\$|new\b|active\b)|"
    r"years?\s+(?:of|in|with|at|on)\b|years?\s+experience)",
    _FLAGS,
)


@dataclass(frozen=True)
class Rule:
    code: str
    category: str
    severity: str
    language: str
    pattern: re.Pattern
    not_before: re.Pattern | None = None
    not_after: re.Pattern | None = None


@dataclass(frozen=True)
class Flag:
    """A flagged phrase: where it is in the text (``start``–``end``), what it says, which rule found it."""

    code: str
    category: str
    severity: str
    language: str
    start: int
    end: int
    text: str

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK


def _rule(code, category, severity, language, pattern, **kwargs) -> Rule:
    return Rule(code, category, severity, language, re.compile(pattern, _FLAGS), **kwargs)


RULES: tuple[Rule, ...] = (
    # English
    _rule(
        "age_range",
        AGE,
        BLOCK,
        "en",
        rf"\b(?:aged?|age\s*(?:range|group|limit)?)\s*[:\-]?\s*(?:between\s+|from\s+)?{_N}\s*(?:-|–|—|to|and)\s*{_N}\b",
    ),
    _rule(
        "age_range",
        AGE,
        BLOCK,
        "en",
        rf"\b(?:between\s+)?{_N}\s*(?:-|–|—|to|and)\s*{_N}\s*(?:years?[\s-]*old|years\s+of\s+age|y\.?\s?o\b\.?)",
    ),
    _rule(
        "age_limit",
        AGE,
        BLOCK,
        "en",
        rf"\b(?:under|over|below|above|younger\s+than|older\s+than|not\s+older\s+than|no\s+older\s+than|not\s+over|"
        rf"up\s+to|at\s+most|maximum|max\.?)\s+(?:the\s+age\s+of\s+)?{_N}\b(?:\s*(?:years?[\s-]*old|y\.?\s?o\b\.?))?",
        not_after=_EN_NOT_AGE_AFTER,
    ),
    _rule(
        "age_limit",
        AGE,
        BLOCK,
        "en",
        r"\b(?:age\s+limit|maximum\s+age|minimum\s+age|age\s+requirement|aged?\s+(?:under|over|below|above)|"
        r"years\s+of\s+age|the\s+age\s+of)\b",
    ),
    _rule(
        "age_wording",
        AGE,
        WARN,
        "en",
        r"\b(?:young|younger|youthful|recent\s+graduates?|fresh\s+graduates?|digital\s+natives?)\b",
    ),
    _rule(
        "sex",
        SEX,
        BLOCK,
        "en",
        r"\b(?:male|female|men|women|man|woman|gentlemen|ladies|lady|girls?|boys?)\s+"
        r"(?:only|candidates?|applicants?|preferred|wanted|needed)\b|"
        r"\b(?:only|preferably|must\s+be)\s+(?:an?\s+)?(?:male|female|men|women|man|woman)\b",
    ),
    _rule(
        "nationality",
        ORIGIN,
        BLOCK,
        "en",
        r"\b(?:nationality|ethnicity|ethnic\s+origin)\s*:|\bnationals?\s+only\b|"
        r"\bmust\s+be\s+(?:an?\s+)?(?:\w+\s+)?national\b",
    ),
    _rule(
        "citizenship",
        ORIGIN,
        WARN,
        "en",
        r"\bcitizens?\s+only\b|\bmust\s+(?:be|hold)\s+(?:an?\s+)?(?:\w+\s+)?citizen(?:ship)?\b|"
        r"\b(?:\w+\s+)?citizenship\s+(?:required|only|preferred)\b",
    ),
    _rule("native_speaker", ORIGIN, WARN, "en", r"\bnative\s+(?:speakers?|english|hungarian|russian|german)\b"),
    _rule(
        "family",
        FAMILY,
        BLOCK,
        "en",
        r"\b(?:single|unmarried|married)\s+(?:candidates?|applicants?|persons?|people|only)\b|"
        r"\b(?:no|without)\s+(?:children|kids)\b|\bchildless\b|\bnot\s+pregnant\b|\bmarital\s+status\b",
    ),
    _rule(
        "appearance",
        APPEARANCE,
        WARN,
        "en",
        r"\b(?:attractive|pleasant|good|nice)\s+(?:appearance|looks)\b|\bgood[\s-]looking\b|"
        r"\b(?:cv|résumé|resume|application)\s+with\s+(?:a\s+)?(?:photo|picture)\b|\bphoto\s+required\b",
    ),
    _rule(
        "religion",
        RELIGION,
        BLOCK,
        "en",
        r"\b(?:christian|catholic|protestant|muslim|jewish|orthodox)\s+"
        r"(?:only|candidates?|applicants?|preferred|background)\b",
    ),
    # Hungarian
    _rule(
        "age_range",
        AGE,
        BLOCK,
        "hu",
        rf"\b{_N}{_DASH}{_N}\s*(?:év|éves)\w*|\b{_N}\s+és\s+{_N}\s+(?:év|éves)\w*",
        not_after=_HU_EXPERIENCE_AFTER,
    ),
    _rule(
        "age_limit",
        AGE,
        BLOCK,
        "hu",
        rf"\b{_N}\s*(?:év|éves)\s*(?:alatt|alatti\w*|felett|feletti\w*|fölött|fölötti\w*|korig|kor\s+alatt\w*|"
        rf"kor\s+felett\w*|korú\w*|kortól|ig)\b|"
        rf"\b(?:maximum|max\.?|legfeljebb|minimum|min\.?|legalább)\s+{_N}\s+éves\b",
        not_after=_HU_EXPERIENCE_AFTER,
    ),
    _rule("age_limit", AGE, BLOCK, "hu", r"\b(?:életkor|korhatár|korcsoport|életév)\w*|\bkor\s*:\s*\d"),
    _rule("age_wording", AGE, WARN, "hu", r"\bfiatal\w*"),
    _rule(
        "sex",
        SEX,
        BLOCK,
        "hu",
        r"\b(?:férfi|női|hölgy|úri)\s+(?:munkatárs|jelentkező|kolléga|munkavállaló|értékesítő|ügyintéző|"
        r"ügyfélkapcsolati|menedzser)\w*|\b(?:csak|kizárólag)\s+(?:férfi|nő|női|hölgy)\w*|"
        r"\b(?:férfiak|nők|hölgyek|urak)\s+(?:jelentkezését|előnyben)\w*|\bnem\s*:\s*(?:férfi|nő)\b",
    ),
    _rule("nationality", ORIGIN, BLOCK, "hu", r"\b(?:nemzetiség|származás)\w*"),
    _rule("citizenship", ORIGIN, WARN, "hu", r"\b(?:magyar|orosz|uniós|eu-s)\s+állampolgár\w*|\bállampolgárság\s*:"),
    _rule("native_speaker", ORIGIN, WARN, "hu", r"\banyanyelv(?:ű|ként)\b"),
    _rule(
        "family",
        FAMILY,
        BLOCK,
        "hu",
        r"\b(?:gyermektelen|gyermek\s+nélküli|nem\s+terhes|hajadon|nőtlen|kisgyermek\s+nélkül)\w*|"
        r"\bcsaládi\s+állapot\w*",
    ),
    _rule(
        "appearance",
        APPEARANCE,
        WARN,
        "hu",
        r"\b(?:kellemes|jó|vonzó|csinos)\s+(?:megjelenés|külső)\w*|\bfényképes\s+önéletrajz\w*",
    ),
    _rule(
        "religion",
        RELIGION,
        BLOCK,
        "hu",
        r"\b(?:keresztény|katolikus|református|zsidó|muszlim)\s+(?:vallású|jelentkező|munkatárs)\w*|\bvallás\s*:",
    ),
    # Russian
    _rule(
        "age_limit",
        AGE,
        BLOCK,
        "ru",
        rf"\b(?:до|от)\s+{_N}(?:\s+до\s+{_N})?\s*(?:лет|года?)\b",
        not_before=_EXPERIENCE_BEFORE,
    ),
    _rule("age_range", AGE, BLOCK, "ru", rf"\b{_N}{_DASH}{_N}\s*(?:лет|года?)\b", not_before=_EXPERIENCE_BEFORE),
    _rule("age_limit", AGE, BLOCK, "ru", rf"\b(?:не\s+)?(?:старше|моложе)\s+{_N}\b"),
    _rule("age_limit", AGE, BLOCK, "ru", r"\b(?:в\s+возрасте|возраст\w*)"),
    _rule(
        "age_wording",
        AGE,
        WARN,
        "ru",
        r"\bмолод(?:ой|ая|ое|ые|ых|ого|ую|ым|ыми|ому|ёжь|ежь|ёжн\w*|ежн\w*)\b",
    ),
    _rule(
        "sex",
        SEX,
        BLOCK,
        "ru",
        r"\b(?:мужчин\w*|женщин\w*|девушк\w*|юнош\w*)\b|\bпол\s*:\s*(?:муж|жен)\w*",
        not_before=re.compile(r"(?:мужчин\w*|женщин\w*)\s+и\s+$", _FLAGS),
        not_after=re.compile(r"^\s+и\s+(?:мужчин|женщин)", _FLAGS),
    ),
    _rule(
        "nationality",
        ORIGIN,
        BLOCK,
        "ru",
        r"\b(?:славянск\w*\s+внешност\w*|национальност\w*|славянин\w*|русск\w+\s+по\s+национальности)",
    ),
    _rule("citizenship", ORIGIN, WARN, "ru", r"\bграждан\w*\s+(?:рф|россии|российской\s+федерации)\b"),
    _rule("native_speaker", ORIGIN, WARN, "ru", r"\bносител\w*\s+(?:\w+\s+)?язык\w*"),
    _rule(
        "family",
        FAMILY,
        BLOCK,
        "ru",
        r"\b(?:без\s+(?:маленьких\s+)?детей|не\s+замужем|холост\w*|незамужн\w*|семейное\s+положение|"
        r"отсутствие\s+детей|не\s+беременн\w*)",
    ),
    _rule(
        "appearance",
        APPEARANCE,
        WARN,
        "ru",
        r"\b(?:приятн\w*|привлекательн\w*|презентабельн\w*|хорош\w*)\s+внешност\w*|"
        r"\bрезюме\s+с\s+фото\w*|\bфото\s+обязательно",
    ),
    _rule(
        "religion",
        RELIGION,
        BLOCK,
        "ru",
        r"\b(?:православн\w*|мусульман\w*|вероисповедани\w*)",
    ),
)


def check_text(text: str) -> list[Flag]:
    """Every flagged phrase in ``text``, in reading order; where rules overlap, a blocking flag wins, then the
    longer phrase."""
    found: list[Flag] = []
    for rule in RULES:
        for match in rule.pattern.finditer(text or ""):
            start, end = match.span()
            # The context of a phrase ends at the line: the next line is another item.
            before = text[max(0, start - 60) : start].rsplit("\n", 1)[-1]
            after = text[end : end + 60].split("\n", 1)[0]
            if rule.not_before is not None and rule.not_before.search(before):
                continue
            if rule.not_after is not None and rule.not_after.search(after):
                continue
            if _DENIAL_BEFORE.search(before) or _DENIAL_AFTER.search(after):
                continue
            found.append(Flag(rule.code, rule.category, rule.severity, rule.language, start, end, match.group(0)))
    found.sort(key=lambda f: (f.severity != BLOCK, -(f.end - f.start), f.start))
    kept: list[Flag] = []
    for flag in found:
        if all(flag.end <= other.start or flag.start >= other.end for other in kept):
            kept.append(flag)
    return sorted(kept, key=lambda f: f.start)
