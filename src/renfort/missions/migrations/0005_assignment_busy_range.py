"""The days each active assignment holds its expert, and on PostgreSQL a guarantee against
double booking: an exclusion constraint over (expert, busy range) using btree_gist.

The data step fills the range of existing active assignments (mission dates plus the travel
days in force now). An assignment whose range would overlap one already filled for the same
expert (a double booking made before this guarantee) is left empty and printed, so the
constraint can be created; review those by hand.
"""

import datetime

from django.conf import settings
from django.db import migrations, models

ACTIVE = ["proposed", "invited", "accepted", "confirmed", "completed"]
CONSTRAINT = "assignment_expert_not_double_booked"


def fill_busy_ranges(apps, schema_editor):
    Assignment = apps.get_model("missions", "Assignment")
    travel = datetime.timedelta(days=int(getattr(settings, "PLANNER_TRAVEL_DAYS", 1)))
    rows = (
        Assignment.objects.filter(status__in=ACTIVE, slot__mission__start__isnull=False)
        .exclude(slot__mission__status="cancelled")
        .select_related("slot__mission")
        .order_by("expert_id", "slot__mission__start", "pk")
    )
    held: dict[int, list[tuple[datetime.date, datetime.date]]] = {}
    for a in rows:
        start, end = a.slot.mission.start, a.slot.mission.end + travel
        taken = held.setdefault(a.expert_id, [])
        if any(s <= end and start <= e for s, e in taken):
            print(f"\n  assignment {a.pk} (expert {a.expert_id}) overlaps another: left empty")
            continue
        taken.append((start, end))
        a.busy_from, a.busy_to = start, end
        a.save(update_fields=["busy_from", "busy_to"])


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE missions_assignment ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(expert_id WITH =, daterange(busy_from, busy_to, '[]') WITH &&) "
        "WHERE (busy_from IS NOT NULL)"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE missions_assignment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0004_status_change_note_code_assignment_history'),
        ('roster', '0003_text_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='busy_from',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='busy from'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='busy_to',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='busy to'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('busy_from__isnull', True), ('busy_to__isnull', True)), models.Q(('busy_from__isnull', False), ('busy_to__isnull', False), ('busy_to__gte', models.F('busy_from'))), _connector='OR'), name='assignment_busy_range_in_order'),
        ),
        migrations.RunPython(fill_busy_ranges, migrations.RunPython.noop),
        migrations.RunPython(add_exclusion, drop_exclusion),
    ]
