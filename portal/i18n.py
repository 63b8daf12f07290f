"""Translation catalogues: Korean first, English complete.

    python -m portal.i18n compile   # .po -> .mo with polib (no GNU gettext needed)
    python -m portal.i18n make      # refresh .po files with makemessages (needs gettext)

Each app keeps its catalogue in ``<app>/locale``; the project's templates and ``portal``
use ``locale/``. Message ids are English; ``ko`` carries the Korean text and ``en`` is
complete by construction (its entries fall back to the English ids).
"""

import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["accounts", "notifications", "networks", "grants", "mentors"]
LANGUAGES = ["ko", "en"]


def catalogue_files() -> list[Path]:
    roots = [BASE_DIR / "locale", *(BASE_DIR / app / "locale" for app in APPS)]
    return sorted(po for root in roots for po in root.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> None:
    import polib

    for po_path in catalogue_files():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


def make_all() -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "--no-obsolete", "--no-location"]
    langs = [arg for lang in LANGUAGES for arg in ("-l", lang)]
    for app in APPS:
        (BASE_DIR / app / "locale").mkdir(exist_ok=True)
        subprocess.run([*manage, *langs], cwd=BASE_DIR / app, check=True)
    ignore = [arg for app in APPS for arg in ("--ignore", f"{app}/*")]
    subprocess.run([*manage, *langs, "--ignore", ".venv/*", "--ignore", "tests/*", *ignore], cwd=BASE_DIR, check=True)


if __name__ == "__main__":
    {"compile": compile_all, "make": make_all}[sys.argv[1]]()
