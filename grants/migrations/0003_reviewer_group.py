from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER_GROUP = "reviewer"
# A reviewer sees the round and its applications and scores them; deciding needs
# grants.decide_application, which this group does not get.
REVIEWER_PERMISSIONS = [
    "view_grantround",
    "view_field",
    "view_fieldenvelope",
    "view_criterion",
    "view_application",
    "view_budgetline",
    "view_attachment",
    "view_consent",
    "view_statuschange",
    "view_review",
    "score_application",
]


def create_reviewer_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure ours exist now.
    app_config = apps.get_app_config("grants")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="grants", codename__in=REVIEWER_PERMISSIONS)
    )


def remove_reviewer_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=REVIEWER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("grants", "0002_staff_side"),
    ]

    operations = [migrations.RunPython(create_reviewer_group, remove_reviewer_group)]
