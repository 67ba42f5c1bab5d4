"""Explanations of statement lines: each code the engine and the period run store, as a sentence."""

import pytest
from django.utils import translation

from rapport.compensation.explain import amount_text, explain, quantity_text

CASES = [
    (
        {"code": "base", "params": {"level": "middle", "days": 31, "days_in_month": 31}},
        "HUF",
        "Base salary of a middle manager: 31 of 31 days employed.",
    ),
    (
        {"code": "base", "params": {"level": "junior", "days": 11, "days_in_month": 30}},
        "HUF",
        "Base salary of a junior manager: 11 of 30 days employed.",
    ),
    (
        {"code": "allowance_corporate", "params": {"clients": 3, "client_days": 73, "days_in_month": 31}},
        "HUF",
        "3 corporate clients, 73 client-days ÷ 31 days in the month.",
    ),
    (
        {"code": "allowance_vip", "params": {"clients": 1, "client_days": 28, "days_in_month": 28}},
        "HUF",
        "1 VIP client, 28 client-days ÷ 28 days in the month.",
    ),
    ({"code": "acquisition", "params": {"count": 2}}, "HUF", "2 clients won in the month."),
    ({"code": "acquisition", "params": {"count": 1}}, "HUF", "1 client won in the month."),
    ({"code": "acquisition_vip", "params": {"count": 1}}, "HUF", "1 VIP client won in the month."),
    ({"code": "service", "params": {"count": 14}}, "HUF", "14 distinct clients served (pool manager)."),
    (
        {"code": "rating", "params": {"smoothed": "4.62", "count": 6, "threshold": "4.50"}},
        "HUF",
        "Smoothed rating 4.62 from 6 ratings reaches the 4.5 tier.",
    ),
    (
        {"code": "cap", "params": {"percent": "10.00", "cap": "45000", "earned": "60000"}},
        "HUF",
        "Bonuses of 60000 capped at 10 % of the base (45000).",
    ),
    (
        {"code": "cap", "params": {"percent": "12.5", "cap": "562.5", "earned": "700"}},
        "RUB",
        "Bonuses of 700.00 capped at 12.5 % of the base (562.50).",
    ),
    (
        {
            "code": "clawback",
            "params": {"line": "acquisition", "month": "2026-01-01", "paid": "20000.00", "now": "0"},
        },
        "HUF",
        "Correction for 2026-01: Acquisition bonus was paid 20000, is now 0.",
    ),
    (
        {"code": "adjustment", "params": {"line": "cap", "month": "2026-01-01", "paid": "-15000", "now": "0"}},
        "HUF",
        "Correction for 2026-01: Bonus cap was paid -15000, is now 0.",
    ),
]


@pytest.mark.parametrize(("explanation", "currency", "sentence"), CASES)
def test_each_code_reads_as_a_sentence(explanation, currency, sentence):
    with translation.override("en"):
        assert explain(explanation, currency) == sentence


def test_an_override_is_said_with_its_reason():
    explanation = {
        "code": "base",
        "params": {"level": "senior", "days": 30, "days_in_month": 30},
        "override": {"amount": "610000", "reason": "Agreed raise", "by": 7},
    }
    with translation.override("en"):
        assert explain(explanation, "HUF") == (
            "Base salary of a senior manager: 30 of 30 days employed. (overridden by Payroll: Agreed raise)"
        )


def test_a_line_added_by_hand_reads_as_the_override_only():
    explanation = {"code": "rating", "params": {}, "override": {"amount": "5000", "reason": "Client letter"}}
    with translation.override("en"):
        assert explain(explanation, "HUF") == "(overridden by Payroll: Client letter)"


def test_unknown_or_empty_explanations_read_as_nothing():
    assert explain({}, "HUF") == ""
    assert explain(None) == ""
    assert explain({"code": "bonus_from_the_future", "params": {"x": 1}}) == ""


def test_numbers_follow_the_readers_language():
    # Hungarian writes a decimal comma and groups digits with a space
    explanation = {"code": "rating", "params": {"smoothed": "4.62", "count": 6, "threshold": "4.5"}}
    with translation.override("hu"):
        assert "4,62" in explain(explanation, "HUF")
        assert amount_text("450000.00", "HUF") == "450\xa0000"
        assert quantity_text("0.354839") == "0,3548"
    with translation.override("en"):
        assert amount_text("450000.00", "HUF") == "450,000"
        assert amount_text("4500.5", "RUB") == "4,500.50"
        assert quantity_text("1.000000") == "1"
