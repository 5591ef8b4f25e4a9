"""``Agreement.missions`` now goes through ``MissionFunding`` (amount and budget line per
mission); the rows were copied by 0004, the old link table goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_fundings_from_links"),
        ("missions", "0008_mission_straddle_weekend"),
    ]

    operations = [
        migrations.RemoveField(model_name="agreement", name="missions"),
        migrations.AddField(
            model_name="agreement",
            name="missions",
            field=models.ManyToManyField(
                blank=True,
                related_name="agreements",
                through="agreements.MissionFunding",
                to="missions.mission",
                verbose_name="missions funded",
            ),
        ),
    ]
