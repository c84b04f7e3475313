"""Publish the sheets approved before approval published them (targets.0002), and store the
JX6xx figures of those approved sheets, as the review does from now on.

The newest approved round of each sheet becomes its public version, marked ``adjusting`` when
the sheet has been reopened since; the figures are those of the approved (frozen) sheet, which
is the sheet as it stands while it is approved. Sheets submitted but not decided get theirs at
the decision.
"""

from collections import Counter

from django.db import migrations


def forwards(apps, schema_editor):
    from jixiao.core.checks import check_target_sheet
    from jixiao.formats import targets_json

    TargetRound = apps.get_model("targets", "TargetRound")
    PublishedTargets = apps.get_model("targets", "PublishedTargets")
    TargetQuality = apps.get_model("targets", "TargetQuality")
    newest = {}
    for rnd in TargetRound.objects.exclude(approved=None).order_by("sheet_id", "number"):
        newest[rnd.sheet_id] = rnd
    for rnd in newest.values():
        if PublishedTargets.objects.filter(sheet_id=rnd.sheet_id).exists():
            continue
        sheet = rnd.sheet
        core = targets_json.from_document(rnd.approved, source=f"round {rnd.pk}")
        at = rnd.decided_at or rnd.submitted_at
        PublishedTargets.objects.create(
            round=rnd, sheet=sheet, year=core.year, department_id_live=sheet.department_id,
            department=sheet.department.name, title=core.display_title[:400], money_unit=core.money_unit,
            published_at=at, project_count=len(core.projects),
            indicator_count=sum(len(p.indicators) for p in core.projects), current=True,
            adjusting=sheet.status != "approved", changed_at=at)
        if sheet.status == "approved" and not TargetQuality.objects.filter(sheet=sheet).exists():
            found = check_target_sheet(core)
            severities = Counter(f.severity for f in found)
            TargetQuality.objects.create(
                sheet=sheet, year=core.year, department_id_live=sheet.department_id, department=sheet.department.name,
                status=sheet.status, projects=len(core.projects),
                indicators=sum(len(p.indicators) for p in core.projects), errors=severities["error"],
                warnings=severities["warning"], codes=dict(sorted(Counter(f.code for f in found).items())),
                checked_at=at)


class Migration(migrations.Migration):
    dependencies = [("targets", "0002_published_targets_and_quality")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
