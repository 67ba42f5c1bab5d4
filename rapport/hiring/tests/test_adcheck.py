"""The job-ad wording checker on phrases in three languages: what is flagged (with which rule and severity) and
what is not — numbers about experience, clients or money, and phrases that deny a criterion."""

import pytest

from rapport.hiring.adcheck import BLOCK, WARN, check_text
from rapport.hiring.explain import flag_sentence

FLAGGED = [
    # English
    ("Candidates under 35 only.", "under 35", "age_limit", BLOCK),
    ("We hire under 35 years old.", "under 35 years old", "age_limit", BLOCK),
    ("Age 25–40, fluent English.", "Age 25–40", "age_range", BLOCK),
    ("aged 25 to 40", "aged 25 to 40", "age_range", BLOCK),
    ("Applicants 25-40 years old are welcome.", "25-40 years old", "age_range", BLOCK),
    ("between 25 and 40 years of age", "between 25 and 40 years of age", "age_range", BLOCK),
    ("not older than 40", "not older than 40", "age_limit", BLOCK),
    ("younger than 30", "younger than 30", "age_limit", BLOCK),
    ("under the age of 35", "under the age of 35", "age_limit", BLOCK),
    ("Maximum age: 45.", "Maximum age", "age_limit", BLOCK),
    ("over 50 need not apply", "over 50", "age_limit", BLOCK),
    ("Join our young, dynamic team!", "young", "age_wording", WARN),
    ("Recent graduates welcome.", "Recent graduates", "age_wording", WARN),
    ("Men only.", "Men only", "sex", BLOCK),
    ("Female candidates preferred.", "Female candidates", "sex", BLOCK),
    ("The manager must be a man.", "must be a man", "sex", BLOCK),
    ("Nationality: Hungarian", "Nationality:", "nationality", BLOCK),
    ("Must be a British citizen.", "Must be a British citizen", "citizenship", WARN),
    ("Native English speaker.", "Native English", "native_speaker", WARN),
    ("No children, please.", "No children", "family", BLOCK),
    ("Married applicants preferred.", "Married applicants", "family", BLOCK),
    ("Attractive appearance is a must.", "Attractive appearance", "appearance", WARN),
    ("Send your CV with a photo.", "CV with a photo", "appearance", WARN),
    ("Christian candidates preferred.", "Christian candidates", "religion", BLOCK),
    # Hungarian
    ("25–40 év között", "25–40 év", "age_range", BLOCK),
    ("Kor: 25 és 40 év között.", "25 és 40 év", "age_range", BLOCK),
    ("35 év alatti jelentkezőket várunk.", "35 év alatti", "age_limit", BLOCK),
    ("maximum 35 éves", "maximum 35 éves", "age_limit", BLOCK),
    ("40 éves korig", "40 éves korig", "age_limit", BLOCK),
    ("Korhatár: 45 év.", "Korhatár", "age_limit", BLOCK),
    ("Fiatal, dinamikus csapatunkba keresünk.", "Fiatal", "age_wording", WARN),
    ("Női munkatársat keresünk.", "Női munkatársat", "sex", BLOCK),
    ("Csak férfi jelentkezők.", "Csak férfi", "sex", BLOCK),
    ("Magyar állampolgárság szükséges.", "Magyar állampolgárság", "citizenship", WARN),
    ("Gyermektelen jelentkezők előnyben.", "Gyermektelen", "family", BLOCK),
    ("Kellemes megjelenés.", "Kellemes megjelenés", "appearance", WARN),
    ("Fényképes önéletrajzot kérünk.", "Fényképes önéletrajzot", "appearance", WARN),
    # Russian
    ("Кандидаты до 35 лет.", "до 35 лет", "age_limit", BLOCK),
    ("от 25 до 40 лет", "от 25 до 40 лет", "age_limit", BLOCK),
    ("Ищем кандидатов 25–40 лет.", "25–40 лет", "age_range", BLOCK),
    ("не старше 45", "не старше 45", "age_limit", BLOCK),
    ("возраст: 25-35", "возраст", "age_limit", BLOCK),
    ("Приглашаем в молодой коллектив.", "молодой", "age_wording", WARN),
    ("Требуется девушка-менеджер.", "девушка", "sex", BLOCK),
    ("Только мужчины.", "мужчины", "sex", BLOCK),
    ("Славянской внешности.", "Славянской внешности", "nationality", BLOCK),
    ("Гражданство РФ обязательно.", "Гражданство РФ", "citizenship", WARN),
    ("Без детей.", "Без детей", "family", BLOCK),
    ("Приятная внешность.", "Приятная внешность", "appearance", WARN),
    ("Резюме с фото.", "Резюме с фото", "appearance", WARN),
]

NOT_FLAGGED = [
    # English
    "At least 3 years of experience with corporate clients.",
    "Over 20 years of experience in sales is an advantage.",
    "You will serve up to 35 clients.",
    "A portfolio of over 40 accounts.",
    "Bonus up to 30% of the base salary.",
    "A company with over 40 years in business.",
    "Salary up to 45 000 HUF more after probation.",
    "We need 20 to 30 new clients a month.",
    "We welcome applicants regardless of age, sex or nationality.",
    "Native-level English or fluent Hungarian.",
    "A team of 25 people.",
    "Pay 300–1000 USD per month.",
    "Sales manager for key accounts.",
    # Hungarian
    "3–5 év tapasztalat szükséges.",
    "10–15 év szakmai tapasztalat előny.",
    "Legalább 10 éves tapasztalat.",
    "25–40 ügyfél kezelése.",
    "Életkortól függetlenül várjuk a jelentkezőket.",
    "Egyedülálló lehetőség.",
    "Pályakezdők is jelentkezhetnek.",
    "Ügyfélkapcsolati menedzser, kereskedelmi terület.",
    # Russian
    "Опыт работы от 3 лет.",
    "Опыт работы от 10 лет обязателен.",
    "Ведение до 35 клиентов.",
    "Рассматриваем кандидатов независимо от возраста.",
    "Без возрастных ограничений.",
    "Приглашаем мужчин и женщин.",
    "Менеджер по работе с клиентами.",
    "Опыт продаж 25–40 лет не нужен.",
]


@pytest.mark.parametrize(("text", "phrase", "code", "severity"), FLAGGED)
def test_discriminatory_wording_is_flagged_with_its_rule(text, phrase, code, severity):
    flags = check_text(text)
    assert [(f.text, f.code, f.severity) for f in flags] == [(phrase, code, severity)]
    assert text[flags[0].start : flags[0].end] == phrase


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_lawful_wording_is_not_flagged(text):
    assert check_text(text) == []


def test_a_text_mixing_languages_is_checked_by_every_language_and_read_in_order():
    text = "Young team! Age 25–40. Magyar állampolgárság. До 35 лет."
    flags = check_text(text)
    assert [(f.text, f.language, f.severity) for f in flags] == [
        ("Young", "en", WARN),
        ("Age 25–40", "en", BLOCK),
        ("Magyar állampolgárság", "hu", WARN),
        ("До 35 лет", "ru", BLOCK),
    ]


def test_each_flag_explains_why_and_blocking_ones_name_the_law():
    age, young = check_text("Under 35, young team")
    assert age.blocks and not young.blocks
    assert "2000/78/EC" in flag_sentence(age)
    assert "CXXV of 2003" in flag_sentence(age)
    assert "art. 64" in flag_sentence(age)
    assert "review it before saving" in flag_sentence(young)
    assert "2000/78/EC" not in flag_sentence(young)


def test_the_context_of_a_phrase_ends_at_its_line():
    # "company" on the next line does not make "under 35" a number of companies
    assert [f.text for f in check_text("- Under 35\ncompany tasks")] == ["Under 35"]


def test_an_empty_text_has_no_flags():
    assert check_text("") == []
