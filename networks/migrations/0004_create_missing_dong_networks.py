"""Give every existing dong its network and every group its automatic memberships.

From now on ``networks.signals`` keeps them in step; this catches the rows made before.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Dong = apps.get_model("networks", "Dong")
    Network = apps.get_model("networks", "Network")
    Membership = apps.get_model("networks", "NetworkMembership")
    CommunityGroup = apps.get_model("networks", "CommunityGroup")
    for dong in Dong.objects.filter(networks__isnull=True):
        Network.objects.create(kind="dong", district_id=dong.district_id, dong=dong, name=f"{dong.name} 마을네트워크")
    memberships = []
    for network in Network.objects.all():
        if network.kind == "dong":
            groups = CommunityGroup.objects.filter(dong_id=network.dong_id)
        else:
            groups = CommunityGroup.objects.filter(dong__region_id=network.region_id)
        memberships += [
            Membership(network=network, group_id=group_id, source="automatic")
            for group_id in groups.values_list("pk", flat=True)
        ]
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_forum_attendance_and_capacity")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
