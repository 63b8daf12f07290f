"""Where a page's time goes: cProfile over repeated in-process requests.

    .venv/bin/python -m bench.profile_page --groups 10000 /my/applications/budget resident1@example.com
    .venv/bin/python -m bench.profile_page --groups 10000 /admin/grants/application/ staff@example.com

Uses the bench database ``maeul_bench_<GROUPS>`` that ``bench/http.py`` seeded (run it once
first). ``/my/applications/budget`` (no id) means that step of resident1's newest application.
Prints the milliseconds per request and the functions with the most cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import time


def profile(path: str, email: str | None, repeats: int, top: int) -> None:
    from django.test import Client

    from accounts.models import User
    from grants.models import Application

    if path.startswith("/my/applications/") and not any(ch.isdigit() for ch in path):
        step = path.removeprefix("/my/applications/").strip("/")
        newest = Application.objects.filter(group__representative__email=email).order_by("-round__year").first()
        path = f"/my/applications/{newest.pk}/{step + '/' if step else ''}"
    client = Client(HTTP_HOST="127.0.0.1")
    if email:
        client.force_login(User.objects.get(email=email))
    assert client.get(path).status_code == 200, path  # warm caches and connections
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeats):
        client.get(path)
    profiler.disable()
    elapsed = (time.perf_counter() - started) * 1000 / repeats
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"{path}: {elapsed:.1f} ms per request (profiled)")
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("path")
    parser.add_argument("email", nargs="?")
    args = parser.parse_args()
    from bench.http import with_database
    from portal import dev

    with dev.servers():
        os.environ["DATABASE_URL"] = with_database(os.environ["DATABASE_URL"], f"maeul_bench_{args.groups}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        profile(args.path, args.email, args.repeats, args.top)


if __name__ == "__main__":
    main()
