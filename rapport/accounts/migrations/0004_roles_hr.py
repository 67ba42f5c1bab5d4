"""Give the roles their permissions on HR: HR keeps it all; Management reads job descriptions, profiles, positions
and training; a client manager reads their own job description, contract and training (the restricted querysets
narrow every read to what is theirs)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HR_MODELS = [
    "jobdescriptiontemplate",
    "jobdescription",
    "jobdescriptionversion",
    "requirementprofile",
    "position",
    "candidate",
    "assessment",
    "clientbaseentry",
    "fitevaluation",
    "employmentcontract",
    "contractamendment",
    "training",
    "trainingparticipant",
    "managerknowledge",
]

ADDED_PERMISSIONS = {
    "HR": [f"hiring.{action}_{model}" for model in HR_MODELS for action in ("view", "add", "change")],
    "Management": [
        "hiring.view_jobdescriptiontemplate",
        "hiring.view_jobdescription",
        "hiring.view_jobdescriptionversion",
        "hiring.view_requirementprofile",
        "hiring.view_position",
        "hiring.view_training",
        "hiring.view_trainingparticipant",
    ],
    "Client manager": [
        "hiring.view_jobdescription",
        "hiring.view_jobdescriptionversion",
        "hiring.view_employmentcontract",
        "hiring.view_contractamendment",
        "hiring.view_training",
        "hiring.view_trainingparticipant",
        "hiring.view_managerknowledge",
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
    # Admin holds every permission.
    admin = Group.objects.filter(name="Admin").first()
    if admin is not None:
        admin.permissions.add(*Permission.objects.filter(content_type__app_label="hiring"))


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
        ("accounts", "0003_roles_winning_serving"),
        ("hiring", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
