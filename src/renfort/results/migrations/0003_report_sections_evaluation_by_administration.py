"""A report's sections become activities and findings (from summary and outcomes); an
evaluation is made for a beneficiary administration (filled here; required and unique per
administration in 0004, a migration of its own: PostgreSQL alters no table with rows updated in
the same transaction); an indicator says which way it improves. Hand-written: the renames keep
the reports' text, and the two data steps fill the new columns of existing rows."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


def _length(field: str, limit: int, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=django.db.models.lookups.LessThanOrEqual(
            django.db.models.functions.text.Length(field), limit
        ),
        name=f"results_{model}_{field}_length",
    )


def evaluations_by_administration(apps, schema_editor):
    """Each evaluation is its author's administration's. Two focal points of one
    administration who both evaluated a mission would break the new rule: the migration
    stops and names them, for people to decide which evaluation stands."""
    Evaluation = apps.get_model("results", "Evaluation")
    seen = {}
    clashes = []
    for evaluation in Evaluation.objects.select_related("by").order_by("pk"):
        org_id = evaluation.by.organisation_id
        if org_id is None:
            clashes.append(f"evaluation {evaluation.pk}: its author has no organisation")
            continue
        key = (evaluation.mission_id, org_id)
        if key in seen:
            clashes.append(f"evaluations {seen[key]} and {evaluation.pk}: one administration")
        seen[key] = evaluation.pk
        evaluation.organisation_id = org_id
        evaluation.save(update_fields=["organisation"])
    if clashes:
        raise RuntimeError("Evaluations to sort out first: " + "; ".join(clashes))


def directions_from_targets(apps, schema_editor):
    """An indicator whose target lies below its baseline improves by going down."""
    Indicator = apps.get_model("results", "Indicator")
    Indicator.objects.filter(target__lt=models.F("baseline")).update(direction="lower")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("results", "0002_text_limits"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="missionreport", name="results_missionreport_summary_length"
        ),
        migrations.RemoveConstraint(
            model_name="missionreport", name="results_missionreport_outcomes_length"
        ),
        migrations.RenameField(model_name="missionreport", old_name="summary", new_name="activities"),
        migrations.RenameField(model_name="missionreport", old_name="outcomes", new_name="findings"),
        migrations.AlterField(
            model_name="missionreport",
            name="activities",
            field=models.TextField(max_length=4000, verbose_name="activities"),
        ),
        migrations.AlterField(
            model_name="missionreport",
            name="findings",
            field=models.TextField(blank=True, max_length=4000, verbose_name="findings"),
        ),
        migrations.AddConstraint(
            model_name="missionreport", constraint=_length("activities", 4000, "missionreport")
        ),
        migrations.AddConstraint(
            model_name="missionreport", constraint=_length("findings", 4000, "missionreport")
        ),
        migrations.AddField(
            model_name="evaluation",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="evaluations",
                to="accounts.organisation",
                verbose_name="beneficiary administration",
            ),
        ),
        migrations.RunPython(evaluations_by_administration, migrations.RunPython.noop),
        migrations.AddField(
            model_name="indicator",
            name="direction",
            field=models.CharField(
                choices=[("higher", "Higher is better"), ("lower", "Lower is better")],
                default="higher",
                max_length=8,
                verbose_name="direction",
            ),
        ),
        migrations.RunPython(directions_from_targets, migrations.RunPython.noop),
    ]
