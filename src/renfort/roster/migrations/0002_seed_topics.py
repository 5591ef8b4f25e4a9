from django.db import migrations

TOPICS = [
    ("rkc", "Revised Kyoto Convention (RKC)"),
    ("safe", "SAFE Framework of Standards"),
    ("aeo", "Authorized Economic Operator (AEO)"),
    ("risk_management", "Risk management"),
    ("valuation", "Customs valuation"),
    ("hs_classification", "HS classification"),
    ("origin", "Rules of origin"),
    ("post_clearance_audit", "Post-clearance audit"),
    ("integrity", "Integrity"),
    ("time_release_study", "Time Release Study"),
    ("hr_management", "Human resource management"),
    ("strategic_planning", "Strategic planning"),
    ("coordinated_border_management", "Coordinated border management"),
    ("single_window", "Single window"),
    ("e_commerce", "E-commerce"),
    ("ipr", "Intellectual property rights (IPR)"),
    ("enforcement", "Enforcement"),
    ("data_analytics", "Data analytics"),
    ("transit", "Transit"),
    ("trade_facilitation", "Trade facilitation"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("roster", "Topic")
    for code, name in TOPICS:
        Topic.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("roster", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
