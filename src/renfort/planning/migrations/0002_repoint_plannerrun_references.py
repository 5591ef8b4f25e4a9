# Rows that name PlannerRun's old home follow the move:
# - queued django-tasks rows store the task's import path; the worker imports it when it picks
#   the row, and renfort.missions.tasks no longer exists;
# - the content type missions.plannerrun becomes planning.plannerrun, so the permissions and
#   admin history attached to it stay attached (post_migrate would otherwise create a new one
#   and leave the old one stale).
# The reverse puts both back, so that a rollback to the code before the move still works.

from django.db import migrations

OLD_TASK = 'renfort.missions.tasks.planner_run_task'
NEW_TASK = 'renfort.planning.tasks.planner_run_task'


def _repoint(apps, old_task, new_task, old_app, new_app):
    DBTaskResult = apps.get_model('django_tasks_database', 'DBTaskResult')
    DBTaskResult.objects.filter(task_path=old_task).update(task_path=new_task)
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label=new_app, model='plannerrun').exists():
        ContentType.objects.filter(app_label=old_app, model='plannerrun').update(app_label=new_app)


def forwards(apps, schema_editor):
    _repoint(apps, OLD_TASK, NEW_TASK, 'missions', 'planning')


def backwards(apps, schema_editor):
    _repoint(apps, NEW_TASK, OLD_TASK, 'planning', 'missions')


class Migration(migrations.Migration):

    dependencies = [
        ('planning', '0001_plannerrun_from_missions'),
        ('django_tasks_database', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
