"""One CMS page per information item of the public menus (BRD-5), with starting text."""

from django.db import migrations


def load(apps, schema_editor):
    from kium.boards.domain.seed import ensure_seed_pages

    ensure_seed_pages(apps)


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
