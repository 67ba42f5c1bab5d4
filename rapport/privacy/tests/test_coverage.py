"""Every model that looks like it holds personal data is either registered for subject access and erasure or
declared free of client personal data, with a reason: a new model fails here until someone decides."""

import re

from django.apps import apps
from django.db import models

from rapport.privacy.registry import no_personal_data, personal_data

# Field names that suggest a person's data or free text that may hold it.
PERSONAL_NAME = re.compile(
    r"(^|_)(name|email|e_mail|phone|mobile|address|city|postal_code|zip|summary|comment|description|notes?|"
    r"title|subject|problem_statement|resolution|outcome|reason|label|key|tax_number|registration_number|repr|"
    r"message)($|_)"
)

# Text fields named like personal data that only code writes: the reason of a history record is the service's
# action name ("create", "update", "anonymise").
WRITTEN_BY_CODE = {"history_change_reason"}


def looks_personal(field: models.Field) -> bool:
    """A free-text field named like personal data, or a reference to a client."""
    if field.is_relation:
        return field.related_model is not None and field.related_model._meta.label == "clients.Client"
    if not isinstance(field, models.CharField | models.TextField):
        return False
    if field.choices:  # a code from a list, not free text
        return False
    if field.name in WRITTEN_BY_CODE:
        return False
    return bool(PERSONAL_NAME.search(field.name))


def personal_looking_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if looks_personal(f)]


def concrete_models():
    return [m for m in apps.get_models() if not m._meta.proxy and not m._meta.abstract]


def test_every_model_with_personal_looking_fields_is_declared():
    # given every concrete model and the declarations of the apps
    registered = {entry.label for entry in personal_data()}
    declared_free = no_personal_data()

    # when the models with fields that look personal are checked against them
    undeclared = {
        model._meta.label: personal_looking_fields(model)
        for model in concrete_models()
        if personal_looking_fields(model)
        and model._meta.label not in registered
        and model._meta.label not in declared_free
    }

    # then none is left undecided
    assert undeclared == {}


def test_registered_models_erase_or_keep_every_personal_looking_field():
    # given the registered models
    # when each personal-looking field is looked up in what erasure blanks or deliberately keeps
    missed = {}
    for entry in personal_data():
        decided = set(entry.fields) | set(entry.kept) | {"id", "history_id"}
        left = [
            name
            for name in personal_looking_fields(entry.model)
            if name not in decided and not entry.model._meta.get_field(name).is_relation
        ]
        if left:
            missed[entry.label] = left

    # then none is forgotten
    assert missed == {}


def test_no_model_is_both_registered_and_declared_free():
    registered = {entry.label for entry in personal_data()}

    assert registered & set(no_personal_data()) == set()


def test_every_declaration_names_an_existing_model_with_a_reason():
    labels = {m._meta.label for m in concrete_models()}

    assert {label for label in no_personal_data() if label not in labels} == set()
    assert {entry.label for entry in personal_data() if entry.label not in labels} == set()
    assert [label for label, reason in no_personal_data().items() if not reason.strip()] == []


def test_the_client_and_its_history_are_registered():
    registered = {entry.label for entry in personal_data()}

    assert {
        "clients.Client",
        "clients.HistoricalClient",
        "cases.Case",
        "cases.HistoricalCase",
        "cases.Interaction",
        "cases.HistoricalInteraction",
        "pipeline.Opportunity",
        "pipeline.HistoricalOpportunity",
        "assignment.Assignment",
        "assignment.HistoricalAssignment",
        "feedback.Rating",
        "feedback.RatingRequest",
        "hiring.ClientBaseEntry",
        "dataio.ImportJob",
        "dataio.ImportRow",
    } <= registered
