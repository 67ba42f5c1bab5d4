"""Money: Decimal amounts, rounded in exactly one place.

Every amount is rounded half-up to its currency's unit by ``quantize`` — whole forints for HUF, kopecks for RUB,
cents for USD and EUR — and a total is the sum of rounded amounts, never rounded again. Floats never touch money.
"""

from decimal import ROUND_HALF_UP, Decimal

# Digits after the decimal point of each currency's smallest unit in everyday use. HUF is paid in whole forints
# (the fillér left circulation in 1999, though ISO 4217 still lists two digits).
CURRENCY_DIGITS = {"HUF": 0, "JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0}
DEFAULT_DIGITS = 2
CURRENCIES = ["HUF", "RUB", "EUR", "USD", "GBP", "CHF", "PLN", "CZK", "RON"]


def currency_digits(currency: str) -> int:
    """How many decimals ``currency``'s unit has."""
    return CURRENCY_DIGITS.get(currency.upper(), DEFAULT_DIGITS)


def unit(currency: str) -> Decimal:
    """The currency's smallest unit, e.g. ``Decimal("0.01")`` for EUR, ``Decimal("1")`` for HUF."""
    return Decimal(1).scaleb(-currency_digits(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to ``currency``'s unit — the one rounding rule of the product."""
    if isinstance(amount, float):
        raise TypeError("Money is never a float.")
    return Decimal(amount).quantize(unit(currency), rounding=ROUND_HALF_UP)
