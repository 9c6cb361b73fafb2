"""Reference data that migrations load: districts, roles, 행정동, base departments, quarters,
the seeded CMS pages.

``ensure_reference_data()`` runs the same loaders again, idempotently, for a database
that was emptied after migrating (a transactional test's flush, or an operator's
``flush``). The migrations stay the single source of the data.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

LOADERS = (
    "kium.orgs.migrations.0002_districts_and_roles",
    "kium.orgs.migrations.0003_dongs",
    "kium.orgs.migrations.0004_base_departments",
    "kium.orgs.migrations.0007_alimtalk_templates_menu",
    "kium.centres.migrations.0002_default_quarters",
    "kium.boards.migrations.0002_seed_pages",
)


def ensure_reference_data() -> None:
    for module_name in LOADERS:
        import_module(module_name).load(apps, None)
