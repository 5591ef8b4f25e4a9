"""Every mission an agreement funded (the plain many-to-many link) becomes a funding row with
no amount and no budget line yet; agreements that existed were in force: they become active."""

from django.db import migrations


def forwards(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    MissionFunding = apps.get_model("agreements", "MissionFunding")
    links = Agreement.missions.through.objects.values_list("agreement_id", "mission_id")
    MissionFunding.objects.bulk_create(
        [MissionFunding(agreement_id=a, mission_id=m) for a, m in links.order_by("id")],
        ignore_conflicts=True,
    )
    Agreement.objects.update(status="active")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_costs_documents_status")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
