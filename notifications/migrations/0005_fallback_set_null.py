"""Deleting an old 알림톡 (a retention job) keeps the SMS that replaced it, unlinked."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_message_channels")]

    operations = [
        migrations.AlterField(
            model_name="message",
            name="fallback_of",
            field=models.OneToOneField(
                blank=True,
                help_text="The 알림톡 this text message replaced because it could not be delivered.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="fallback",
                to="notifications.message",
                verbose_name="fallback for",
            ),
        ),
    ]
