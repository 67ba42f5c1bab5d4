"""Saving with an audit trail: who made the change and why, recorded by django-simple-history."""

from django.db import models


def save_with_history(instance: models.Model, *, actor, reason: str = "", **save_kwargs) -> None:
    """Save ``instance`` so its history record names ``actor`` and ``reason``."""
    instance._history_user = actor
    instance._change_reason = reason
    try:
        instance.save(**save_kwargs)
    finally:
        instance.__dict__.pop("_history_user", None)
        instance.__dict__.pop("_change_reason", None)
