"""Name keys for finding the same organisation or person written differently.

``name_key("Alfa Kft.")`` and ``name_key("ALFA kft")`` are both ``"alfa"``: case, accents, punctuation and the
legal-form words of the languages Rapport speaks (Hungarian, English, Russian) are dropped, words are kept in
order. Duplicate checks compare keys exactly (an index look-up) and near keys by similarity.
"""

import difflib
import re
import unicodedata

# Legal forms and filler words that do not tell two organisations apart.
LEGAL_FORMS = frozenset(
    {
        # Hungarian
        "kft",
        "zrt",
        "nyrt",
        "bt",
        "kkt",
        "ev",
        "rt",
        "kht",
        "nonprofit",
        # English
        "ltd",
        "limited",
        "llc",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "the",
        # Russian
        "ооо",
        "оао",
        "зао",
        "пао",
        "ао",
        "ип",
        "нко",
    }
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """The comparable key of a client name: lower case, no accents, no punctuation, no legal-form words."""
    name = name or ""
    if name.isascii():
        # NFKD leaves ASCII as it is and it has no combining marks: the common case skips both.
        plain = name.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        # Drop combining marks (accents) but keep Cyrillic letters, which NFKD leaves whole except й/ё.
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = [word for word in _WORD.findall(plain) if word not in LEGAL_FORMS]
    return " ".join(words)[:200]


def similarity(a: str, b: str) -> float:
    """How alike two name keys are, from 0 to 1 (difflib's ratio)."""
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()
