"""``python manage.py send_reminders``: run the outbox sweep once, here and now.

The same work the beat task ``notifications.tasks.sweep_outbox`` does every few minutes;
running both at once is harmless.
"""

from django.core.management.base import BaseCommand

from notifications.sweep import sweep


class Command(BaseCommand):
    help = "Create due reminders, re-queue stuck or failed emails and enqueue everything ready."

    def add_arguments(self, parser):
        parser.add_argument("--kind", action="append", dest="kinds", help="Only this reminder kind (repeatable).")

    def handle(self, *args, kinds=None, **options):
        result = sweep(kinds=kinds)
        for name, count in sorted(result.created.items()):
            self.stdout.write(f"{name}: {count} created")
        self.stdout.write(
            f"re-queued stuck: {result.requeued_stuck}, retried failed: {result.retried_failed}, "
            f"enqueued: {result.enqueued}"
        )
        for error in result.errors:
            self.stderr.write(error)
        if result.errors:
            raise SystemExit(1)
