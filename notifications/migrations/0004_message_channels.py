"""The outbox carries every channel: ``Email`` becomes ``Message`` with a ``channel`` (email,
알림톡, SMS/LMS), the provider's id and delivery result, and the SMS that replaced an 알림톡.
``Email`` stays as a proxy whose manager sees only email rows. Existing rows are emails."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0003_sweep_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("Email", "Message"),
        migrations.AlterModelOptions(
            name="message",
            options={
                "ordering": ["-created_at", "-id"],
                "verbose_name": "outbox message",
                "verbose_name_plural": "outbox messages",
            },
        ),
        migrations.AddField(
            model_name="message",
            name="channel",
            field=models.CharField(
                choices=[("email", "Email"), ("alimtalk", "KakaoTalk notification"), ("sms", "Text message")],
                default="email",
                max_length=10,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="message",
            name="recipient",
            field=models.CharField(max_length=254, verbose_name="recipient"),
        ),
        migrations.AlterField(
            model_name="message",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="outbox_messages",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="template_code",
            field=models.CharField(blank=True, max_length=64, verbose_name="template code"),
        ),
        migrations.AddField(
            model_name="message",
            name="variables",
            field=models.JSONField(blank=True, default=dict, verbose_name="template variables"),
        ),
        migrations.AddField(
            model_name="message",
            name="provider_message_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="provider message id"),
        ),
        migrations.AddField(
            model_name="message",
            name="delivery",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "No report"),
                    ("pending", "Waiting for the report"),
                    ("delivered", "Delivered"),
                    ("undelivered", "Not delivered"),
                ],
                default="",
                max_length=12,
                verbose_name="delivery result",
            ),
        ),
        migrations.AddField(
            model_name="message",
            name="delivery_code",
            field=models.CharField(blank=True, max_length=16, verbose_name="provider status code"),
        ),
        migrations.AddField(
            model_name="message",
            name="delivery_message",
            field=models.CharField(blank=True, max_length=255, verbose_name="provider status message"),
        ),
        migrations.AddField(
            model_name="message",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="delivery reported at"),
        ),
        migrations.AddField(
            model_name="message",
            name="fallback_of",
            field=models.OneToOneField(
                blank=True,
                help_text="The 알림톡 this text message replaced because it could not be delivered.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="fallback",
                to="notifications.message",
                verbose_name="fallback for",
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel__in", ["email", "alimtalk", "sms"])), name="message_channel_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("fallback_of__isnull", True), ("channel", "sms"), _connector="OR"),
                name="message_fallback_is_sms",
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("template_code", ""), ("channel", "alimtalk"), _connector="OR"),
                name="message_template_only_alimtalk",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("delivery", "pending")), fields=["sent_at"], name="message_report_pending_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("provider_message_id", ""), _negated=True),
                fields=["provider_message_id"],
                name="message_provider_id_idx",
            ),
        ),
        migrations.CreateModel(
            name="Email",
            fields=[],
            options={"verbose_name": "email", "verbose_name_plural": "emails", "proxy": True, "indexes": [], "constraints": []},
            bases=("notifications.message",),
        ),
        migrations.CreateModel(
            name="ChannelPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "preferred",
                    models.CharField(
                        choices=[("email", "Email"), ("alimtalk", "KakaoTalk notification"), ("sms", "Text message")],
                        default="alimtalk",
                        max_length=10,
                        verbose_name="preferred channel",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="channel_preference",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "channel preference",
                "verbose_name_plural": "channel preferences",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("preferred__in", ["email", "alimtalk", "sms"])),
                        name="channel_preference_valid",
                    )
                ],
            },
        ),
    ]
