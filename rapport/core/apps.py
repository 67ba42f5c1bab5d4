from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared kernel: base models, errors, pagination, helpers. No business rules."""

    name = "rapport.core"
    label = "core"
