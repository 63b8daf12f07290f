from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Community and networks")

    def ready(self):
        from networks import personal_data, reminders, signals  # noqa: F401 - signals connects the membership receivers

        reminders.register_all()
        personal_data.register()
        _watch_public_models()


def _watch_public_models():
    """What ``/networks/`` shows for everyone: forget it when any of these change."""
    from django.contrib.auth import get_user_model

    from networks.models import CommunityGroup, Dong, Forum, Network, NetworkMembership, Region
    from portal import public_cache

    public_cache.watch(
        Network, NetworkMembership, CommunityGroup, Forum, Dong, Region, get_user_model(), topic="networks"
    )
