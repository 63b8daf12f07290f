"""The access log moves to ``accounts`` (one log for the whole portal): copy every row, keeping
its time, reader, action and detail, with the application as its subject and the group's
representative as the person whose data it was; then drop the old table."""

from django.db import migrations

BATCH = 2000


def copy_rows(apps, schema_editor):
    OldLog = apps.get_model("grants", "AccessLog")
    NewLog = apps.get_model("accounts", "AccessLog")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not OldLog.objects.exists():
        return
    application_type, _ = ContentType.objects.get_or_create(app_label="grants", model="application")
    rows = OldLog.objects.select_related("application__group", "application__round").order_by("id")
    batch = []
    for old in rows.iterator(chunk_size=BATCH):
        new = NewLog(user_id=old.user_id, action=old.action, detail=old.detail, at=old.at)
        if old.application is not None:
            application = old.application
            new.subject_type = application_type
            new.subject_id = application.pk
            new.subject_label = (application.title or f"{application.group.name} ({application.round.year})")[:200]
            new.person_id = application.group.representative_id
        batch.append(new)
        if len(batch) >= BATCH:
            NewLog.objects.bulk_create(batch)
            batch = []
    if batch:
        NewLog.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_results_published"),
        ("accounts", "0004_access_log"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop, elidable=False),
        migrations.DeleteModel(name="AccessLog"),
    ]
