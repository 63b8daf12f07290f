"""Receivers ``grants`` connects to its own signals (see ``grants.signals``)."""

from grants import workflow


def publish_funded_group_description(sender, application, **kwargs):
    """A funded group's description becomes public when its approval is released, as the
    group form promises (and not before: a draft's or a rejected group's stays private)."""
    from networks import services as network_services

    if application.status == workflow.APPROVED:
        network_services.publish_group_description(group=application.group)
