from django.core.management.base import BaseCommand

from networks import services


class Command(BaseCommand):
    help = "Create missing dong networks and rebuild every automatic network membership."

    def handle(self, *args, **options):
        count = services.resync_all()
        self.stdout.write(f"{count} networks resynced.")
