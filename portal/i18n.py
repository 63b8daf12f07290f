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
APPS = ["accounts", "notifications", "networks", "grants", "projects", "mentors"]
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


def fill_from_fragments(fragment_dir: Path = BASE_DIR / "i18n-fragments") -> int:
    """Fill empty Korean entries of every catalogue from the PO fragments; return how many."""
    import polib

    known = {}
    for fragment in sorted(fragment_dir.glob("*.ko.po")):
        for entry in polib.pofile(str(fragment)):
            if entry.msgstr or entry.msgstr_plural:
                known[(entry.msgctxt, entry.msgid)] = entry
    filled = 0
    for po_path in catalogue_files():
        if po_path.parts[-3] != "ko":
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            source = known.get((entry.msgctxt, entry.msgid))
            if source is None or (entry.translated() and not entry.fuzzy):
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: source.msgstr_plural.get(0) or source.msgstr}
            else:
                entry.msgstr = source.msgstr
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
            filled += 1
        catalogue.save()
    return filled


def untranslated(language: str = "ko") -> list[tuple[Path, str]]:
    """Entries of ``language`` catalogues that are empty or fuzzy."""
    import polib

    missing = []
    for po_path in catalogue_files():
        if po_path.parts[-3] != language:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            if entry.fuzzy or not entry.translated():
                missing.append((po_path.relative_to(BASE_DIR), entry.msgid))
    return missing


def make_all() -> None:
    manage = [sys.executable, str(BASE_DIR / "manage.py"), "makemessages", "--no-obsolete", "--no-location"]
    langs = [arg for lang in LANGUAGES for arg in ("-l", lang)]
    for app in APPS:
        (BASE_DIR / app / "locale").mkdir(exist_ok=True)
        subprocess.run([*manage, *langs], cwd=BASE_DIR / app, check=True)
    ignore = [arg for app in APPS for arg in ("--ignore", f"{app}/*")]
    subprocess.run([*manage, *langs, "--ignore", ".venv/*", "--ignore", "tests/*", *ignore], cwd=BASE_DIR, check=True)
    complete_english()
    fill_from_fragments()


def complete_english() -> None:
    """English msgids are the English text: make the en catalogues say so explicitly."""
    import polib

    for po_path in catalogue_files():
        if po_path.parts[-3] != "en":
            continue
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if entry.fuzzy:
                entry.flags.remove("fuzzy")
        catalogue.save()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "fill":
        print(f"filled {fill_from_fragments()} entries")
    elif command == "english":
        complete_english()
    elif command == "missing":
        for path, msgid in untranslated():
            print(f"{path}: {msgid!r}")
    else:
        {"compile": compile_all, "make": make_all}[command]()
