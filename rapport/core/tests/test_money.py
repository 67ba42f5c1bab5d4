"""Money: the one rounding helper. Every amount is rounded half-up to its currency's unit — whole forints for HUF,
kopecks for RUB, cents for EUR and USD — and floats are refused.

``ROUND_HALF_UP`` is Python's Decimal rounding of that name: an exact half goes **away from zero**, so 2.5 HUF is 3
and -2.5 HUF is -3 (a negative half is rounded to the larger magnitude, not up towards zero).
"""

from decimal import Decimal

import pytest

from rapport.core.money import currency_digits, quantize, unit


@pytest.mark.parametrize(
    ("currency", "digits", "smallest"),
    [
        ("HUF", 0, Decimal("1")),  # whole forints: the fillér is gone
        ("huf", 0, Decimal("1")),  # the code is read case-insensitively
        ("RUB", 2, Decimal("0.01")),  # kopecks
        ("EUR", 2, Decimal("0.01")),  # cents
        ("USD", 2, Decimal("0.01")),  # cents
    ],
)
def test_each_currency_has_its_unit(currency, digits, smallest):
    # given a currency / when asked for its unit / then the digits and the smallest unit
    assert currency_digits(currency) == digits
    assert unit(currency) == smallest
    assert unit(currency).as_tuple().exponent == -digits


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        # HUF: whole forints, exact halves up
        ("2.5", "HUF", "3"),
        ("3.5", "HUF", "4"),  # half up, not half even (half even would give 4 here but 2 for 2.5)
        ("0.5", "HUF", "1"),
        ("2.4999", "HUF", "2"),
        ("2.5001", "HUF", "3"),
        ("154838.7096774193548387096774", "HUF", "154839"),  # 300000 × 16 ÷ 31
        ("-2.5", "HUF", "-3"),  # away from zero: a negative half gets the larger magnitude
        ("-2.4", "HUF", "-2"),
        ("-3.5", "HUF", "-4"),
        # EUR / USD: cents
        ("0.125", "EUR", "0.13"),
        ("0.135", "EUR", "0.14"),
        ("0.1249999", "EUR", "0.12"),
        ("-0.125", "EUR", "-0.13"),
        ("2.675", "USD", "2.68"),  # exact in Decimal (a float 2.675 is 2.67499… and would give 2.67)
        ("100", "USD", "100.00"),
        # RUB: kopecks
        ("1.005", "RUB", "1.01"),
        ("1.004", "RUB", "1.00"),
        ("-1.005", "RUB", "-1.01"),
    ],
)
def test_quantize_rounds_half_up_to_the_currency_unit(amount, currency, rounded):
    # given an exact Decimal amount / when quantized / then the exact rounded value, with the currency's digits
    result = quantize(Decimal(amount), currency)
    assert result == Decimal(rounded)
    assert str(result) == rounded  # the same digits too: 100 EUR is 100.00, 154838.7… HUF is 154839
    assert isinstance(result, Decimal)


def test_the_same_amount_rounds_differently_per_currency():
    # given 33.335 (e.g. 1 000.05 ÷ 30) / when rounded for HUF, EUR, RUB / then 33 forints, 33.34 euros, 33.34 roubles
    amount = Decimal("33.335")
    assert [quantize(amount, c) for c in ("HUF", "EUR", "RUB")] == [Decimal("33"), Decimal("33.34"), Decimal("33.34")]


def test_an_integer_is_accepted_and_gets_the_unit_digits():
    # given an int / when quantized / then a Decimal with the currency's digits
    assert str(quantize(5, "EUR")) == "5.00"
    assert str(quantize(5, "HUF")) == "5"


def test_a_large_exponent_is_written_out():
    # given 1E+3 (a Decimal with a positive exponent) / when quantized for HUF / then 1000 with exponent 0
    result = quantize(Decimal("1E+3"), "HUF")
    assert str(result) == "1000"
    assert result.as_tuple().exponent == 0


@pytest.mark.parametrize("currency", ["HUF", "RUB", "EUR", "USD"])
def test_a_float_is_refused(currency):
    # given a float / when quantized / then TypeError: money never passes through binary floating point
    with pytest.raises(TypeError):
        quantize(2.5, currency)
