from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from django.db.models.signals import post_migrate

        from grants import personal_data, receivers, reminders, roles, signals

        reminders.register_all()
        _watch_public_models()
        personal_data.register()
        signals.decision_released.connect(
            receivers.publish_funded_group_description, dispatch_uid="grants_publish_funded_group_description"
        )
        post_migrate.connect(roles.ensure_reviewer_group, sender=self, dispatch_uid="grants_reviewer_group")


def _watch_public_models():
    """What the public home page and the results pages show for everyone (portal.public_cache)."""
    from grants.models import Application, Field, FieldEnvelope, GrantRound
    from networks.models import CommunityGroup, District, Dong
    from portal import public_cache

    public_cache.watch(GrantRound, FieldEnvelope, Field, District, topic="rounds")
    public_cache.watch(Application, GrantRound, Field, CommunityGroup, Dong, topic="results")
