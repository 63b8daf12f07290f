"""Keep networks in step with the places they are made of. Connected in ``NetworksConfig.ready``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from networks import services
from networks.models import CommunityGroup, Dong, Network


@receiver(post_save, sender=Dong, dispatch_uid="networks_dong_saved")
def dong_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_dong(dong=instance)


@receiver(post_save, sender=CommunityGroup, dispatch_uid="networks_group_saved")
def group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_group_networks(group=instance)


@receiver(post_save, sender=Network, dispatch_uid="networks_network_saved")
def network_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_network(network=instance)
