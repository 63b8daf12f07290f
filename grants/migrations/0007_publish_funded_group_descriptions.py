"""Groups already funded (an approval in a round whose results are published) keep their
public description; every other group's becomes private until it is funded."""

from django.db import migrations
from django.db.models import F


def publish_funded(apps, schema_editor):
    CommunityGroup = apps.get_model("networks", "CommunityGroup")
    Application = apps.get_model("grants", "Application")
    funded = Application.objects.filter(status="approved", round__results_published_at__isnull=False)
    CommunityGroup.objects.filter(pk__in=funded.values("group_id"), description_public_since__isnull=True).update(
        description_public_since=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0006_change_request_steps_and_deadline"),
        ("networks", "0005_group_description_public_since"),
    ]

    operations = [migrations.RunPython(publish_funded, migrations.RunPython.noop)]
