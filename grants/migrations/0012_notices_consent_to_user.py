"""The optional news consent now lives on the person (accounts.User.notices_consent): carry
over every representative who granted it on an application."""

from django.db import migrations


def carry_over(apps, schema_editor):
    Consent = apps.get_model("grants", "Consent")
    User = apps.get_model("accounts", "User")
    granted = Consent.objects.filter(kind="notices", granted=True).values("application__group__representative_id")
    User.objects.filter(pk__in=granted).update(notices_consent=True)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0011_trigram_search"),
        ("accounts", "0007_privacy_policy_retention_requests_consent"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
