import io
import zipfile

import pytest

from grants.models import Application, Consent
from tests.factories import ApplicationFactory, BudgetLineFactory, FieldEnvelopeFactory, FieldFactory, GrantRoundFactory


def tiny_pdf() -> bytes:
    """A minimal but valid one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def tiny_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def tiny_hwpx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("mimetype", "application/hwp+zip")
        package.writestr("Contents/content.hpf", "<opf/>")
    return out.getvalue()


def tiny_image(kind: str = "PNG", size=(4, 3)) -> bytes:
    """A real image that decodes (Pillow), the way a phone or a scanner would send it."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (120, 180, 90)).save(out, kind)
    return out.getvalue()


HWP_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.fixture
def open_round(db):
    round_ = GrantRoundFactory(title="2026 서구 마을공동체 공모사업")
    for order, name in enumerate(["돌봄·교육", "나눔·돌봄", "기후환경", "문화·예술"]):
        FieldEnvelopeFactory(round=round_, field=FieldFactory(name=name, order=order))
    return round_


@pytest.fixture
def group(resident):
    return resident.represented_groups.get()


@pytest.fixture
def draft(group, open_round):
    """A draft with the project written and a budget, but no documents or consents yet."""
    application = ApplicationFactory(
        group=group,
        round=open_round,
        field=open_round.fields.first(),
        title="골목 화단 가꾸기",
        purpose="골목을 밝게",
        plan="매달 둘째 토요일",
        schedule="4월~10월",
        expected_outcomes="이웃이 서로 안다",
        resident_participation="누구나 참여",
        requested_amount=1_000_000,
    )
    BudgetLineFactory(application=application, amount=1_000_000)
    BudgetLineFactory(application=application, amount=200_000, source="self")
    return application


@pytest.fixture
def complete_draft(draft, resident):
    """A draft that can be submitted: documents and consents too."""
    from django.core.files.base import ContentFile

    from grants.models import Attachment

    attachment = Attachment(
        application=draft,
        kind=Attachment.Kind.SIGNATURES,
        original_name="서명부.pdf",
        content_type="application/pdf",
        size=len(tiny_pdf()),
        uploaded_by=resident,
    )
    attachment.file.save("서명부.pdf", ContentFile(tiny_pdf()), save=True)
    for kind in Consent.Kind:
        Consent.objects.create(application=draft, kind=kind, granted=True, text_version="2026-1")
    return draft


@pytest.fixture
def submitted(complete_draft, resident):
    from grants import services

    return services.submit_application(application=complete_draft, by=resident)


def make_applications(group_factory, round_factory, count: int) -> list[Application]:
    return [ApplicationFactory(group=group_factory(), round=round_factory()) for _ in range(count)]
