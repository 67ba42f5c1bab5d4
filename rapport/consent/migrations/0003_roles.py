"""Give the roles their permissions on consent (the admin reads them; the product's own rules live in services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDED_PERMISSIONS = {
    "Management": [
        "consent.view_consentpurpose",
        "consent.change_consentpurpose",
        "consent.view_consentversion",
        "consent.add_consentversion",
        "consent.view_consentrecord",
        "consent.add_consentrecord",
        "consent.view_consentlink",
        "consent.add_consentlink",
    ],
    "Client manager": [
        "consent.view_consentpurpose",
        "consent.view_consentversion",
        "consent.view_consentrecord",
        "consent.add_consentrecord",
        "consent.add_consentlink",
    ],
}


def add_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ADDED_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ADDED_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_default_purposes"),
        ("accounts", "0004_roles_hr"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
