"""Checking an uploaded document by its content, not by the name or type the browser claims."""

import logging
import os
import re
import unicodedata
import warnings
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import DependencyError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a repaired cross-reference is not worth a log line

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10
# A zip package (HWPX, DOCX, XLSX) is checked from its directory and at most READ_LIMIT bytes
# of one entry: nothing is ever inflated whole. A package claiming more entries or more
# uncompressed bytes than a real document has is refused (staff's office software would
# inflate it on opening).
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
READ_LIMIT = 64
# Pixels an image may have. Pillow refuses more than twice its MAX_IMAGE_PIXELS (about 179
# million) on opening; we refuse earlier. A JPEG is test-decoded at 1/8 scale (draft mode),
# so even a 108-megapixel phone photo costs a few MB; a PNG decodes whole, so its cap is lower.
MAX_JPEG_PIXELS = 150_000_000
MAX_PNG_PIXELS = 40_000_000
# A PDF must not carry a web page: a browser that sniffs it would run the script.
HTML_IN_PDF = re.compile(rb"<\s*(?:html|script|body|iframe|svg|!doctype\s+html)\b", re.IGNORECASE)
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
    if ext in {"jpg", "jpeg", "png"}:
        check_image(upload)
    elif ext == "pdf":
        _check_pdf(upload)
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
            entries = package.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_ZIP_UNCOMPRESSED:
                raise ValidationError(
                    _("The file unpacks to far more than a document holds. Please save it again and re-attach it."),
                    code="zip_too_large",
                )
            names = {entry.filename for entry in entries}
            if ext == "hwpx" and "mimetype" in names and "Contents/content.hpf" not in names:
                with package.open("mimetype") as entry:
                    return entry.read(READ_LIMIT).startswith(b"application/hwp+zip")
            return ZIP_MARKERS[ext] in names
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError, EOFError, NotImplementedError):
        return False
    finally:
        upload.seek(0)


def check_image(upload) -> None:
    """Refuse an image that will not decode, or whose pixel count is a decompression bomb.

    Used for the application's documents and the mentors' visit photos."""
    too_big = ValidationError(
        _(
            "The image is too large in pixels (%(limit)s megapixels at most) and could not be checked. "
            "Please send a smaller photo or a screenshot of it."
        ),
        code="image_too_large",
        params={"limit": MAX_PNG_PIXELS // 1_000_000},
    )
    broken = ValidationError(
        _("The image is damaged or incomplete and cannot be opened. Please take or save it again."),
        code="image_broken",
    )
    upload.seek(0)
    # WeasyPrint (the official letters) sets ImageFile.LOAD_TRUNCATED_IMAGES for the whole
    # process when it is imported, which would let a truncated upload pass: check strictly.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                limit = MAX_JPEG_PIXELS if image.format == "JPEG" else MAX_PNG_PIXELS
                if width * height > limit:
                    too_big.params = {"limit": limit // 1_000_000}
                    raise too_big
                if image.format == "JPEG":
                    image.draft("L", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise broken from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
        upload.seek(0)


def _check_pdf(upload) -> None:
    """A PDF must parse (pypdf) and have a page, and must not carry an HTML page anywhere."""
    upload.seek(0)
    tail = b""
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        if HTML_IN_PDF.search(tail + chunk):
            upload.seek(0)
            raise ValidationError(
                _("This PDF contains a web page, which is not allowed. Please save the document as a PDF again."),
                code="pdf_with_html",
            )
        tail = chunk[-32:]
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            # Many official PDFs carry only an owner password (printing or editing locked) and
            # open for anyone: those are fine. One that needs a password to open is not.
            try:
                opened = reader.decrypt("")
            except DependencyError:
                return  # AES without a crypto library here: the structure parsed, accept it
            if not opened:
                raise ValidationError(
                    _("This PDF is protected by a password. Please save it without a password and re-attach it."),
                    code="pdf_encrypted",
                )
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file; each means "not a PDF we can read"
        raise ValidationError(
            _("The PDF is damaged and cannot be opened. Please save it as a PDF again and re-attach it."),
            code="pdf_broken",
        ) from None
    finally:
        upload.seek(0)
