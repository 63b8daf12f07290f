"""Uploads are checked in bounded memory and by more than their first bytes."""

import contextlib
import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from grants import uploads
from grants.tests.conftest import tiny_image, tiny_pdf

BOMB_BYTES = 512 * 1024 * 1024  # what the bomb's one entry inflates to


def zip_bomb_hwpx() -> bytes:
    """An HWPX-looking package whose "mimetype" entry inflates to 512 MB (about 0.5 MB on disk),
    written in chunks so the test itself stays small."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package,
        package.open("mimetype", "w", force_zip64=True) as entry,
    ):
        entry.write(b"application/hwp+zip")
        chunk = b"\0" * (4 * 1024 * 1024)
        for _ in range(BOMB_BYTES // len(chunk)):
            entry.write(chunk)
    return out.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A genuine PNG of side × side grey pixels (400 megapixels, 400 MB decoded) in about 400 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\0" * (side + 1)  # filter byte + one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def check(name: str, content: bytes):
    return uploads.check_upload(SimpleUploadedFile(name, content))


def peak_memory_of(function) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(ValidationError):
            function()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_bomb_is_checked_in_bounded_memory_and_refused():
    bomb = zip_bomb_hwpx()
    assert len(bomb) < uploads.MAX_BYTES
    upload = SimpleUploadedFile("plan.hwpx", bomb)
    peak = peak_memory_of(lambda: uploads.check_upload(upload))
    assert peak < 16 * 1024 * 1024, f"checking a {len(bomb):,}-byte upload took {peak:,} bytes"
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload)
    assert refused.value.code == "zip_too_large"


def test_an_hwpx_with_only_its_mimetype_entry_is_read_64_bytes_at_most():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", b"application/hwp+zip" + b" " * (50 * 1024 * 1024))
    upload = SimpleUploadedFile("plan.hwpx", out.getvalue())
    peak = peak_memory_of(lambda: uploads.check_upload(upload))
    assert peak < 8 * 1024 * 1024
    assert check("plan.hwpx", out.getvalue())[1] == "application/hwp+zip"


def test_a_package_with_too_many_entries_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("Contents/content.hpf", "<opf/>")
        for n in range(uploads.MAX_ZIP_ENTRIES):
            package.writestr(f"x/{n}", "")
    with pytest.raises(ValidationError) as refused:
        check("plan.hwpx", out.getvalue())
    assert refused.value.code == "zip_too_large"


def test_a_decompression_bomb_image_is_refused_with_a_clear_message_in_bounded_memory():
    bomb = png_bomb()
    upload = SimpleUploadedFile("photo.png", bomb)
    peak = peak_memory_of(lambda: uploads.check_upload(upload))
    assert peak < 16 * 1024 * 1024, f"checking the image took {peak:,} bytes"
    with pytest.raises(ValidationError) as refused:
        uploads.check_upload(upload)
    assert refused.value.code == "image_too_large"
    with translation.override("en"):
        assert "megapixels" in refused.value.messages[0]
    with translation.override("ko"):
        assert "40메가픽셀" in refused.value.messages[0]


def test_an_image_that_does_not_decode_is_refused():
    import weasyprint  # noqa: F401 - it makes Pillow tolerate truncated images process-wide

    truncated = tiny_image("PNG", size=(64, 64))[:-30]
    with pytest.raises(ValidationError) as refused:
        check("photo.png", truncated)
    assert refused.value.code == "image_broken"
    with pytest.raises(ValidationError):
        check("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 200)


@pytest.mark.parametrize(("name", "kind"), [("photo.png", "PNG"), ("photo.jpg", "JPEG"), ("scan.JPEG", "JPEG")])
def test_real_images_pass(name, kind):
    assert check(name, tiny_image(kind, size=(300, 200)))[1].startswith("image/")


def test_a_real_pdf_passes_and_a_pdf_header_on_garbage_is_refused():
    assert check("plan.pdf", tiny_pdf()) == ("plan.pdf", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        check("plan.pdf", b"%PDF-1.4\n" + b"garbage " * 200)
    assert refused.value.code == "pdf_broken"


@pytest.mark.parametrize(
    "html",
    [
        b"<html><script>alert(document.cookie)</script></html>",
        b"<!DOCTYPE html><body onload=x()>",
        b"< SCRIPT>x</script>",
    ],
)
def test_html_hidden_behind_a_pdf_header_is_refused(html):
    polyglot = tiny_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n" + html + b"\n", 1)
    with pytest.raises(ValidationError) as refused:
        check("plan.pdf", polyglot)
    assert refused.value.code == "pdf_with_html"


def test_an_owner_locked_pdf_passes_and_a_password_to_open_is_refused():
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf())))
        writer.encrypt(user_password=user_password, owner_password="district", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert check("locked-for-editing.pdf", encrypted(""))[1] == "application/pdf"
    with pytest.raises(ValidationError) as refused:
        check("secret.pdf", encrypted("secret"))
    assert refused.value.code == "pdf_encrypted"


@pytest.mark.django_db
def test_the_documents_step_shows_the_bomb_refusal_in_korean_and_keeps_nothing(client, resident, draft):
    client.force_login(resident)
    upload = SimpleUploadedFile("사진.png", png_bomb(), content_type="image/png")
    response = client.post(
        reverse("grants:apply_documents", args=[draft.pk]), {"kind": "plan", "file": upload}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert response.status_code == 400
    assert response.context["error_summary"][0]["id"] == "id_file"
    assert "40" in response.context["error_summary"][0]["message"]  # the limit, in megapixels
    assert not draft.attachments.exists()
