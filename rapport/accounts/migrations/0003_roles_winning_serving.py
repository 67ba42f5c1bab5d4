"""Give the roles their permissions on the pipeline, cases and ratings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADDED_PERMISSIONS = {
    "Management": [
        "pipeline.view_opportunity",
        "pipeline.add_opportunity",
        "pipeline.change_opportunity",
        "pipeline.view_stagechange",
        "pipeline.view_acquisition",
        "pipeline.change_acquisition",
        "cases.view_interaction",
        "cases.add_interaction",
        "cases.change_interaction",
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        "cases.view_caseevent",
        "feedback.view_ratingrequest",
        "feedback.view_rating",
    ],
    "Client manager": [
        "pipeline.view_opportunity",
        "pipeline.add_opportunity",
        "pipeline.change_opportunity",
        "pipeline.view_stagechange",
        "pipeline.view_acquisition",
        "cases.view_interaction",
        "cases.add_interaction",
        "cases.change_interaction",
        "cases.view_case",
        "cases.add_case",
        "cases.change_case",
        "cases.view_caseevent",
        "feedback.view_rating",
    ],
    "Payroll": [
        "pipeline.view_acquisition",
        "feedback.view_rating",
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
        ("accounts", "0002_roles"),
        ("pipeline", "0001_initial"),
        ("cases", "0001_initial"),
        ("feedback", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
