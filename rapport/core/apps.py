from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared kernel: base models, errors, pagination, helpers. No business rules."""

    name = "rapport.core"
    label = "core"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from rapport.core.concurrency import align_history_date

        # Bookkeeping of the audit trail, not a domain side effect: a save's history record carries the row's
        # updated_at, so a stale edit can be told what changed since the version it read.
        pre_create_historical_record.connect(align_history_date, dispatch_uid="core.align_history_date")
