"""Template filters of HR: money and numbers in the reader's format, fit lines as sentences."""

from django import template

from rapport.hiring import explain
from rapport.hiring.choices import ContractTerm, EducationField, KnowledgeArea, Quality

register = template.Library()


@register.filter
def money(value, currency):
    return explain.money_text(value, currency)


@register.filter
def number(value):
    return explain.number_text(value)


@register.filter
def fit_sentence(line: dict) -> str:
    return explain.fit_line_sentence(line)


@register.filter
def part_label(part: str) -> str:
    return explain.part_label(part)


@register.filter
def area_label(value: str) -> str:
    return str(dict(KnowledgeArea.choices).get(value, value))


@register.filter
def quality_label(value: str) -> str:
    return str(dict(Quality.choices).get(value, value))


@register.filter
def field_labels(values) -> str:
    labels = dict(EducationField.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])


@register.filter
def term_label(value: str) -> str:
    return str(dict(ContractTerm.choices).get(value, value))


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
