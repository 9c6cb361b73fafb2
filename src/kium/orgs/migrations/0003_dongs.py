"""행정동 of every district, from src/kium/orgs/data/dongs.json (editable afterwards)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "dongs.json"


def load(apps, schema_editor):
    District = apps.get_model("orgs", "District")
    Dong = apps.get_model("orgs", "Dong")
    if not DATA.exists():
        return
    by_code = {d.code: d for d in District.objects.all()}
    for code, names in json.loads(DATA.read_text(encoding="utf-8")).items():
        district = by_code.get(code)
        if district is None:
            continue
        for name in names:
            Dong.objects.get_or_create(district=district, name=name)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_districts_and_roles")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
