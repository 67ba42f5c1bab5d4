"""Reference data: the market salary bands of the source document ("How to win a client?"), per month.

Desired by candidates 9,000–30,000 RUB ($300–1,000); offered by employers 4,500–24,000 RUB ($150–800). One band
per kind and currency; they exist on every install and Payroll may change them later.
"""

from decimal import Decimal

from django.db import migrations

SOURCE = "“How to win a client?” (source article): market figures per month"
BANDS = [
    ("Desired by candidates (RUB)", "desired", "RUB", Decimal("9000"), Decimal("30000")),
    ("Desired by candidates (USD)", "desired", "USD", Decimal("300"), Decimal("1000")),
    ("Offered by employers (RUB)", "offered", "RUB", Decimal("4500"), Decimal("24000")),
    ("Offered by employers (USD)", "offered", "USD", Decimal("150"), Decimal("800")),
]


def add_bands(apps, schema_editor):
    SalaryBand = apps.get_model("compensation", "SalaryBand")
    for name, kind, currency, minimum, maximum in BANDS:
        SalaryBand.objects.get_or_create(
            kind=kind,
            currency=currency,
            defaults={"name": name, "minimum": minimum, "maximum": maximum, "source": SOURCE},
        )


def remove_bands(apps, schema_editor):
    SalaryBand = apps.get_model("compensation", "SalaryBand")
    for _name, kind, currency, minimum, maximum in BANDS:
        SalaryBand.objects.filter(
            kind=kind, currency=currency, minimum=minimum, maximum=maximum, source=SOURCE
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_initial")]

    operations = [migrations.RunPython(add_bands, remove_bands)]
