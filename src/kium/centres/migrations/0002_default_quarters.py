"""Default usage quarters so a fresh install works (RES-4).

Plausible dates from Seoul school calendars, to be corrected by the city each year on
시스템운영관리 > 이용분기 관리; docs/quarters.md explains each choice. ``year`` is the school
year, so the 2025 겨울방학 covers January–February 2026.
"""

import datetime as dt

from django.db import migrations

D = dt.date
QUARTERS = [
    (2025, "winter_vacation", D(2026, 1, 1), D(2026, 2, 28)),
    (2026, "semester1", D(2026, 3, 2), D(2026, 7, 19)),
    (2026, "summer_vacation", D(2026, 7, 20), D(2026, 8, 16)),
    (2026, "semester2", D(2026, 8, 17), D(2026, 12, 31)),
    (2026, "winter_vacation", D(2027, 1, 1), D(2027, 2, 28)),
    (2027, "semester1", D(2027, 3, 2), D(2027, 7, 18)),
    (2027, "summer_vacation", D(2027, 7, 19), D(2027, 8, 15)),
    (2027, "semester2", D(2027, 8, 16), D(2027, 12, 31)),
    (2027, "winter_vacation", D(2028, 1, 1), D(2028, 2, 29)),
]


def load(apps, schema_editor):
    Quarter = apps.get_model("centres", "Quarter")
    for year, term, start, end in QUARTERS:
        # Never overwrite dates the city has already corrected.
        Quarter.objects.get_or_create(year=year, term=term, defaults={"start": start, "end": end})


class Migration(migrations.Migration):
    dependencies = [("centres", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
