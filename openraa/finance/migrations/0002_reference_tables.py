"""The national interagency fee tables and the support fund's fair-access limits, from
fixtures/fee_rates.json (dated rows; `openraa load_finance_tables` adds rows added to the file later)."""

from django.db import migrations


def load(apps, schema_editor):
    from openraa.finance.loading import load_reference_tables

    load_reference_tables(apps.get_model("finance", "FeeRate"), apps.get_model("finance", "FairAccessLimit"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
