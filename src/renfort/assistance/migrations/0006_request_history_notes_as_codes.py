"""Request history notes written as sentences before notes became codes (a mission planning,
unplanning or delivering the request, in English or French as the actor read them) become the
codes that render them in each reader's language (``missions/messages.py``). People's own
words (decline reasons) do not match and stay as they are. Reverse: nothing to undo."""

import re

from django.db import migrations

# The sentences the mission services used to write, in both catalogue languages.
PATTERNS = [
    (re.compile(r"^Planned in mission (\S+)\.$"), "request.planned_in_mission"),
    (re.compile(r"^Planifiée dans la mission (\S+)\.$"), "request.planned_in_mission"),
    (re.compile(r"^Mission (\S+) no longer plans it\.$"), "request.unplanned"),
    (re.compile(r"^La mission (\S+) ne la prévoit plus\.$"), "request.unplanned"),
    (re.compile(r"^Delivered by mission (\S+)\.$"), "request.delivered_by_mission"),
    (re.compile(r"^Réalisée par la mission (\S+)\.$"), "request.delivered_by_mission"),
]


def notes_to_codes(apps, schema_editor):
    Change = apps.get_model("assistance", "RequestStatusChange")
    changed = []
    rows = Change.objects.filter(note_code="").exclude(note="").only("pk", "note")
    for row in rows.iterator(chunk_size=500):
        for pattern, code in PATTERNS:
            match = pattern.match(row.note.strip())
            if match:
                row.note, row.note_code = "", code
                row.note_params = {"mission": match.group(1)}
                changed.append(row)
                break
    Change.objects.bulk_update(changed, ["note", "note_code", "note_params"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("assistance", "0005_request_withdrawn")]

    operations = [migrations.RunPython(notes_to_codes, migrations.RunPython.noop)]
