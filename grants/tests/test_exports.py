"""Exports of the filtered application list: Excel and CSV in the request, large ones in Celery."""

import csv
import io

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccessLog
from grants import exports
from grants.models import Application, BudgetLine, ExportJob
from grants.tests.helpers import in_review_applications
from portal.tests.test_spreadsheets import as_read_from_xlsx
from tests.factories import FieldFactory, GrantRoundFactory
from tests.workers import celery_worker, wait_for


@pytest.fixture
def exported_round(db):
    """Two fields; the care field has 4 applications with 2 budget lines each."""
    round_ = GrantRoundFactory()
    care, climate = FieldFactory(name="돌봄·교육"), FieldFactory(name="기후환경")
    care_apps = in_review_applications(round_=round_, field=care, count=4, requested=2_000_000)
    in_review_applications(round_=round_, field=climate, count=3, requested=3_000_000)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(application=a, category=cat, item=f"항목{i}", amount=amount, source=source)
            for i, a in enumerate(care_apps)
            for cat, amount, source in [("materials", 1_500_000 + i, "subsidy"), ("meetings", 200_000, "self")]
        ]
    )
    return round_, care


def post_export(client, round_, field, export_format):
    filters = f"round__id__exact={round_.pk}&field__id__exact={field.pk}"
    return client.post(reverse("admin:grants_application_export"), {"filters": filters, "export_format": export_format})


@pytest.mark.django_db
def test_the_excel_export_of_a_filtered_list_opens_and_its_totals_match_the_database(client, staff, exported_round):
    round_, care = exported_round
    client.force_login(staff)

    response = post_export(client, round_, care, "xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    applications_sheet, lines_sheet = workbook.worksheets
    app_rows = list(applications_sheet.iter_rows(values_only=True))
    line_rows = list(lines_sheet.iter_rows(values_only=True))
    care_apps = Application.objects.filter(round=round_, field=care)
    assert len(app_rows) == 1 + care_apps.count() + 1  # header, rows, total
    assert all(isinstance(row[9], int) for row in app_rows[1:])  # amounts are numbers
    assert app_rows[-1][9] == care_apps.aggregate(total=Sum("requested_amount"))["total"] == 8_000_000
    assert sum(row[9] for row in app_rows[1:-1]) == app_rows[-1][9]
    db_lines = BudgetLine.objects.filter(application__in=care_apps).aggregate(total=Sum("amount"))["total"]
    assert line_rows[-1][5] == db_lines == sum(row[5] for row in line_rows[1:-1])
    assert len(line_rows) == 1 + 8 + 1
    assert AccessLog.objects.filter(user=staff, action=AccessLog.Action.EXPORT).count() == 1


@pytest.mark.django_db
def test_the_csv_export_has_one_row_per_budget_line_with_numeric_amounts(client, staff, exported_round):
    round_, care = exported_round
    client.force_login(staff)

    response = post_export(client, round_, care, "csv")

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 8
    assert sum(int(row[-1]) for row in rows[1:]) == BudgetLine.objects.aggregate(total=Sum("amount"))["total"]


@pytest.mark.django_db
def test_export_filters_ignore_parameters_they_do_not_know(exported_round):
    round_, care = exported_round

    filters = exports.filters_from_params({"round__id__exact": str(round_.pk), "group__representative__password": "x"})

    assert filters == {"round__id__exact": str(round_.pk)}


@pytest.mark.django_db
def test_a_resident_cannot_export(client, resident, exported_round):
    round_, care = exported_round
    client.force_login(resident)

    response = post_export(client, round_, care, "xlsx")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_large_export_is_built_by_the_worker_and_offered_for_download(client, staff, exported_round, settings):
    round_, care = exported_round
    settings.GRANTS_EXPORT_SYNC_LIMIT = 2
    client.force_login(staff)

    response = post_export(client, round_, care, "xlsx")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:grants_exportjob_changelist")
    job = ExportJob.objects.get()
    with celery_worker(concurrency=1):
        finished = (ExportJob.Status.DONE, ExportJob.Status.FAILED)
        wait_for(lambda: ExportJob.objects.get(pk=job.pk).status in finished, timeout=60, what="the export")
    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 4)
    listing = client.get(reverse("admin:grants_exportjob_changelist")).content.decode()
    assert 'data-testid="export-download"' in listing
    download = client.get(reverse("admin:grants_exportjob_download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.worksheets[0].cell(row=6, column=10).value == 8_000_000
    job.file.delete(save=False)


PAYLOADS = ['=HYPERLINK("http://x","click")', "=1+1", "+1", "-1", "@x", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_round(db):
    """One application per payload, the payload typed as its title, group, representative and budget item."""
    from tests.factories import ApplicationFactory, CommunityGroupFactory, UserFactory

    round_, field = GrantRoundFactory(), FieldFactory(name="문화·예술")
    for payload in PAYLOADS:
        group = CommunityGroupFactory(name=payload, representative=UserFactory(name=payload))
        application = ApplicationFactory(
            group=group, round=round_, field=field, title=payload, requested_amount=1_000_000, status="in_review"
        )
        BudgetLine.objects.create(application=application, category="materials", item=payload, amount=1_000_000)
    return round_, field


def inert(payload):
    return "'" + payload


@pytest.mark.django_db
def test_the_excel_export_shows_typed_formulas_as_plain_text_on_every_sheet(client, staff, hostile_round):
    client.force_login(staff)
    response = post_export(client, *hostile_round, "xlsx")
    applications_sheet, lines_sheet = load_workbook(io.BytesIO(response.content)).worksheets
    rows = list(applications_sheet.iter_rows())[1:-1]
    assert sorted(row[6].value for row in rows) == sorted(as_read_from_xlsx(inert(payload)) for payload in PAYLOADS)
    for row in rows:
        for cell in (row[2], row[6], row[7]):  # group, title, representative
            assert cell.data_type == "s" and cell.value.startswith("'"), cell.value
        assert (row[9].value, row[9].data_type) == (1_000_000, "n")
    lines = list(lines_sheet.iter_rows())[1:-1]
    assert sorted(row[3].value for row in lines) == sorted(as_read_from_xlsx(inert(payload)) for payload in PAYLOADS)
    assert all(row[1].data_type == row[3].data_type == "s" and row[5].data_type == "n" for row in lines)


@pytest.mark.django_db
def test_the_csv_export_shows_typed_formulas_as_plain_text(client, staff, hostile_round):
    client.force_login(staff)
    response = post_export(client, *hostile_round, "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert len(rows) == len(PAYLOADS)
    for row in rows:
        group, title, representative, item = row[2], row[6], row[7], row[13]
        assert group == title == representative == item and group in [inert(payload) for payload in PAYLOADS]
        assert row[-1] == "1000000"
