"""Create the five role groups with their permissions.

Permissions are normally created after migrations run; they are created here first so the groups can be given
them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Admin": "__all__",
    "Management": [
        "clients.view_client",
        "clients.add_client",
        "clients.change_client",
        "clients.view_clientgroup",
        "clients.add_clientgroup",
        "clients.change_clientgroup",
        "managers.view_clientmanager",
        "managers.add_clientmanager",
        "managers.change_clientmanager",
        "assignment.view_assignment",
        "assignment.add_assignment",
        "assignment.change_assignment",
    ],
    "Client manager": [
        "clients.view_client",
        "clients.change_client",
        "clients.view_clientgroup",
        "managers.view_clientmanager",
        "assignment.view_assignment",
    ],
    "HR": [
        "clients.view_clientgroup",
        "managers.view_clientmanager",
        "managers.add_clientmanager",
        "managers.change_clientmanager",
    ],
    "Payroll": [
        "clients.view_clientgroup",
        "managers.view_clientmanager",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codenames == "__all__":
            group.permissions.set(Permission.objects.all())
            continue
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("clients", "0002_initial"),
        ("managers", "0001_initial"),
        ("assignment", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
