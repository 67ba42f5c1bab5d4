from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _admin_role_gets_every_permission(sender, using="default", **kwargs) -> None:
    """The Admin role holds every permission, including those of models added after the roles migration."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.using(using).filter(name="Admin").first()
    if group is not None:
        group.permissions.set(Permission.objects.using(using).all())


class AccountsConfig(AppConfig):
    """Users, roles and permissions."""

    name = "rapport.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        post_migrate.connect(_admin_role_gets_every_permission, dispatch_uid="rapport_admin_permissions")

        from rapport.accounts import signals

        signals.connect()

        from rapport.accounts import privacy

        privacy.register()
