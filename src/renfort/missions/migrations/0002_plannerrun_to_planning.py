# PlannerRun moved to the planning app (planning 0001), which keeps its tables: remove the
# model from this app's state only, never the table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('missions', '0001_initial'),
        ('planning', '0001_plannerrun_from_missions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='PlannerRun',
                ),
            ],
            database_operations=[],
        ),
    ]
