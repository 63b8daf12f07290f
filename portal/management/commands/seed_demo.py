import os
import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from networks.models import District
from portal import demo
from portal.embedded import VAR_DIR


class Command(BaseCommand):
    help = "Build the Seo-gu demo world (idempotent, reproducible). Refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--groups",
            type=int,
            default=demo.DEFAULT_GROUPS,
            help=f"groups in all (default {demo.DEFAULT_GROUPS}: 109 funded in 2025)",
        )
        parser.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same data)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the district already exists")

    def handle(self, *args, groups, seed, if_empty, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: it creates accounts with a known password.")
        if groups < 1:
            raise CommandError("--groups must be at least 1.")
        if if_empty and District.objects.filter(code=demo.DISTRICT_CODE).exists():
            self.stdout.write("Demo data already loaded.")
            return
        password = demo_password()
        started = time.monotonic()
        summary = demo.seed(groups=groups, seed=seed, password=password)
        if summary.changed:
            # Bulk inserts leave the planner's statistics stale (it would expect 50 rows where
            # there are 10,000 and pick hash joins over the whole table); refresh them now.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        if not summary.changed:
            self.stdout.write("Demo data already complete: nothing changed.")
            return
        created = ", ".join(f"{count} {label}" for label, count in summary.created.items())
        self.stdout.write(self.style.SUCCESS(f"Created {created} in {elapsed:.1f}s."))
        self.stdout.write(
            f"Log in as staff@example.com, mentor1@example.com or resident1@example.com with the password: {password}"
        )


def demo_password() -> str:
    """DEMO_PASSWORD, else the one generated on a previous run, else a new one (saved)."""
    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = VAR_DIR / "demo-password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password)
    return password
