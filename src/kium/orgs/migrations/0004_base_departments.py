"""서울시 and the 25 district departments (ORG-5), made idempotently.

The function lives in the domain so the demo seed can call it too; here it runs against
the historical models.
"""

from django.db import migrations


def load(apps, schema_editor):
    from kium.orgs.domain.departments import ensure_base_departments

    ensure_base_departments(apps)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0003_dongs")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
