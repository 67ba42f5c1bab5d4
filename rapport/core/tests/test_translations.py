"""The Hungarian and Russian catalogs: complete, compiled from the committed .po, placeholders intact."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALES = ["hu", "ru"]
PLURAL_FORMS = {
    "hu": "nplurals=2; plural=(n != 1);",
    "ru": ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"),
}
# %(name)s, %(count)d, %s, %.2f ... and {{ var }} as written in templates; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-+ #0]*\d*(?:\.\d+)?[sdifr]|\{\{\s*[^}]*?\s*\}\}")


def nplurals(language: str) -> int:
    return int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[language]).group(1))


def locale_dir(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES"


def po_catalog(language: str) -> polib.POFile:
    return polib.pofile(str(locale_dir(language) / "django.po"))


def mo_catalog(language: str) -> gettext.GNUTranslations:
    with open(locale_dir(language) / "django.mo", "rb") as fp:
        return gettext.GNUTranslations(fp)


def placeholders(text: str) -> set[str]:
    return {re.sub(r"\s+", "", match) for match in PLACEHOLDER.findall(text)} - {"%%"}


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def translated_forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("language", LOCALES)
def test_catalog_header_names_the_language_and_its_plural_rule(language):
    # given the committed catalog
    po = po_catalog(language)
    # when its header is read / then it is final, for the right language, with the right plural rule
    assert not po.metadata_is_fuzzy
    assert po.metadata["Language"] == language
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[language]


@pytest.mark.parametrize("language", LOCALES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    # given the committed catalog
    entries = live_entries(po_catalog(language))
    # when entries without a translation, with a missing plural form, or marked fuzzy are collected
    untranslated = [
        label(entry)
        for entry in entries
        if not all(translated_forms(entry))
        or (entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals(language))))
    ]
    fuzzy = [label(entry) for entry in entries if "fuzzy" in entry.flags]
    # then there are none
    assert entries, f"the {language} catalog is empty"
    assert untranslated == [], f"untranslated in {language}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LOCALES)
def test_compiled_catalog_matches_the_po_file(language):
    # given the committed .po and the committed .mo beside it
    po = po_catalog(language)
    mo = mo_catalog(language)
    po_plural = gettext.c2py(re.search(r"plural=(.+?);?$", po.metadata["Plural-Forms"]).group(1))
    stale = []
    forms_seen = set()
    # when every live entry is looked up in the .mo (an untranslated or fuzzy entry falls back to the msgid)
    for entry in live_entries(po):
        usable = "fuzzy" not in entry.flags and all(translated_forms(entry))
        if entry.msgid_plural:
            for n in range(200):
                form = po_plural(n)
                forms_seen.add(form)
                fallback = entry.msgid if n == 1 else entry.msgid_plural
                expected = entry.msgstr_plural[form] if usable else fallback
                if entry.msgctxt:
                    actual = mo.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                else:
                    actual = mo.ngettext(entry.msgid, entry.msgid_plural, n)
                if actual != expected:
                    stale.append(f"{label(entry)} [n={n}]: .mo has {actual!r}, .po has {expected!r}")
                    break
        else:
            expected = entry.msgstr if usable else entry.msgid
            actual = mo.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else mo.gettext(entry.msgid)
            if actual != expected:
                stale.append(f"{label(entry)}: .mo has {actual!r}, .po has {expected!r}")
    # then the .mo says exactly what the .po says (run `manage.py compilemessages` after editing a .po)
    assert stale == [], f"{language} django.mo is out of date with django.po: {stale}"
    assert mo.info()["plural-forms"] == PLURAL_FORMS[language]
    if any(entry.msgid_plural for entry in live_entries(po)):
        assert forms_seen == set(range(nplurals(language)))


@pytest.mark.parametrize("language", LOCALES)
def test_translations_keep_the_placeholders_of_the_source(language):
    # given the committed catalog
    mismatched = []
    # when the placeholders of each translation are compared with those of its msgid
    for entry in live_entries(po_catalog(language)):
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, form) for form in translated_forms(entry)]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, target in pairs:
            if target and placeholders(source) != placeholders(target):
                mismatched.append(f"{label(entry)}: {sorted(placeholders(target))} in {target!r}")
    # then every translation carries exactly the source's placeholders
    assert mismatched == [], f"placeholders differ in {language}: {mismatched}"


def test_placeholder_pattern_reads_python_and_template_placeholders():
    # given a text with named, positional and template placeholders and a literal percent sign
    text = "%(name)s has %(count)d of %s clients, 100%% sure, {{ manager }} / {{number}}"
    # when its placeholders are read / then all four kinds are found and the literal is not
    assert placeholders(text) == {"%(name)s", "%(count)d", "%s", "{{manager}}", "{{number}}"}


@pytest.mark.parametrize(
    ("language", "expected"), [("hu", "Ügyfelek"), ("ru", "Клиенты"), ("en", "Clients")], ids=["hu", "ru", "en"]
)
def test_gettext_uses_the_active_language(language, expected):
    # given the project's catalogs / when "Clients" is translated under the language
    with translation.override(language):
        result = translation.gettext("Clients")
    # then the chosen word comes back
    assert result == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("hu", "Alfa Kft. ügyfélnek nincs személyes menedzsere."),
        ("ru", "У клиента Alfa Kft. нет персонального менеджера."),
    ],
    ids=["hu", "ru"],
)
def test_translated_message_formats_its_placeholder(language, expected):
    # given a message with a named placeholder
    with translation.override(language):
        # when it is translated and formatted
        result = translation.gettext("%(client)s has no personal manager.") % {"client": "Alfa Kft."}
    # then the value lands in the translated sentence
    assert result == expected
