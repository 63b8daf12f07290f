"""Checking an uploaded document by its content, not by the name or type the browser claims."""

import os
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5.x is an OLE2 compound file
ZIP_MAGIC = b"PK\x03\x04"  # HWPX, DOCX and XLSX are zip packages

# extension -> the content type we store and serve it with
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in CONTENT_TYPES)
# the entry that a genuine package of each kind contains
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "hwpx": "Contents/content.hpf"}


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 200 - len(ext) - 1]}.{ext}" if dot and len(ext) <= 5 else name[:200]
    return name or "document"


def extension_of(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def check_upload(upload) -> tuple[str, str]:
    """Return ``(clean original name, content type)`` or raise ``ValidationError``.

    The extension must be allowed and agree with the bytes: PDF/JPEG/PNG by their magic
    numbers (``filetype``), HWP by the OLE2 header, HWPX/DOCX/XLSX by the zip header and the
    package entry that each format must contain.
    """
    name = clean_name(upload.name)
    ext = extension_of(name)
    if ext not in CONTENT_TYPES:
        raise ValidationError(
            _("This kind of file cannot be attached. Use PDF, HWP, HWPX, DOCX, XLSX, JPG or PNG."),
            code="bad_extension",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Please make it smaller."), code="too_large")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not _content_matches(ext, head, upload):
        raise ValidationError(
            _("The file's content does not match its name (.%(ext)s). Please save it again and re-attach it."),
            code="content_mismatch",
            params={"ext": ext},
        )
    return name, CONTENT_TYPES[ext]


def _content_matches(ext: str, head: bytes, upload) -> bool:
    if ext in {"pdf", "jpg", "jpeg", "png"}:
        kind = filetype.guess(head)
        return kind is not None and kind.mime == CONTENT_TYPES[ext]
    if ext == "hwp":
        return head.startswith(OLE2_MAGIC)
    if not head.startswith(ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if ext == "hwpx" and "mimetype" in names and "Contents/content.hpf" not in names:
                return package.read("mimetype")[:64].startswith(b"application/hwp+zip")
            return ZIP_MARKERS[ext] in names
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False
    finally:
        upload.seek(0)
