"""Settings for ``bench/http.py`` only: production settings plus a bare reference view.

Never used by the portal itself. The bench runs gunicorn with ``DJANGO_DEBUG=false`` and this
module, so every page is measured with exactly the production middleware, database
connections and static files; the only difference is ``/__bench__/bare``, a view that runs
one ``SELECT 1`` through the same stack, which every figure is divided by.
"""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "portal.urls_bench"
