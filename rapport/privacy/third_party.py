"""The personal data of the libraries' tables, declared here since their apps cannot declare it themselves."""

from django.apps import apps

from rapport.privacy.registry import register_no_personal_data, register_personal_data

NONE = {
    "auth.Permission": "permission names",
    "auth.Group": "role names",
    "contenttypes.ContentType": "model names",
    "sessions.Session": "signed session data of staff sign-ins",
    "knox.AuthToken": "API tokens of staff accounts",
    "axes.AccessAttempt": "failed staff sign-ins",
    "axes.AccessLog": "staff sign-ins",
    "axes.AccessFailureLog": "failed staff sign-ins",
    "axes.AccessAttemptExpiration": "lockout expiries",
    "django_tasks_database.DBTaskResult": "queued tasks, whose arguments are record ids",
}


def _admin_log_rows(model, client):
    from django.contrib.contenttypes.models import ContentType

    from rapport.clients.models import Client

    content_type = ContentType.objects.get_for_model(Client)
    return model._base_manager.filter(content_type=content_type, object_id=str(client.pk))


def register() -> None:
    for label, reason in NONE.items():
        if _has_model(label):
            register_no_personal_data(label, reason)
    if _has_model("admin.LogEntry"):
        register_personal_data("admin.LogEntry", rows=_admin_log_rows, fields=("object_repr", "change_message"))


def _has_model(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
