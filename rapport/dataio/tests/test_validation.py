"""The column parsers accept exactly what the client form's fields accept, with the same codes."""

import pytest
from django.core.exceptions import ValidationError

from rapport.clients.forms import ClientForm
from rapport.dataio.validation import Column, column_kind

VALUES = {
    "email": ["a@b.hu", " A.B@Example.COM ", "x@localhost", "no-at", "a@b", "a..b@c.hu", "ü@ä.hu", "", "a@[1.2.3.4]"],
    "name": ["Alfa Kft.", "  padded  ", "", "x" * 200, "x" * 201],
    "kind": ["legal_entity", "individual", "person", ""],
    "vip_since": ["2024-01-31", "2024-02-30", "31/01/2024", "2024-W01-1", "", "01/31/2024"],
    "status": ["active", "former", "sleeping", ""],
}


def form_verdict(field_name: str, value: str):
    try:
        return ("ok", ClientForm.base_fields[field_name].clean(value))
    except ValidationError as exc:
        return ("error", [e.code for e in exc.error_list])


@pytest.mark.parametrize("field_name", list(VALUES))
def test_column_verdicts_equal_the_form_fields(field_name):
    # given the client form's field and a column of tricky values
    form_field = ClientForm.base_fields[field_name]
    column = Column(field_name, form_field, kind=column_kind(form_field))
    errors = {}

    # when the column is parsed
    parsed = column.parse(VALUES[field_name], errors)

    # then each value is accepted or refused as the form field does it, with the same codes
    got = [("error", [e.code for e in errors[i]]) if i in errors else ("ok", value) for i, value in enumerate(parsed)]
    expected = [form_verdict(field_name, value) for value in VALUES[field_name]]
    if field_name == "email":  # the model spells e-mail in lower case afterwards; the verdicts are what matter
        expected = [(kind, v.strip() if isinstance(v, str) else v) for kind, v in expected]
    assert got == expected
