# PlannerRun moved here from the missions app. The table (missions_plannerrun) and its M2M
# table (missions_plannerrun_missions) stay as they are, rows included: this migration only
# tells Django's state that the model now belongs to this app. missions 0002 removes it there.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('missions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PlannerRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('period_start', models.DateField(blank=True, null=True, verbose_name='period from')),
                        ('period_end', models.DateField(blank=True, null=True, verbose_name='period to')),
                        ('time_limit_s', models.FloatField(default=10, verbose_name='time limit (s)')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=8)),
                        ('progress', models.JSONField(blank=True, default=list)),
                        ('problem', models.JSONField(blank=True, default=dict)),
                        ('plan', models.JSONField(blank=True, default=dict)),
                        ('error', models.TextField(blank=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('missions', models.ManyToManyField(blank=True, related_name='planner_runs', to='missions.mission')),
                    ],
                    options={
                        'verbose_name': 'planner run',
                        'verbose_name_plural': 'planner runs',
                        'db_table': 'missions_plannerrun',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
