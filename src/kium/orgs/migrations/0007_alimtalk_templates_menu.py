"""알림톡 관리 gains its own menu item for the templates (NTF-1): every role that could
see the send history may also manage the templates (the views still require city scope).
"""

from django.db import migrations

HISTORY = "homepage.alimtalk"
TEMPLATES = "homepage.alimtalk_templates"


def load(apps, schema_editor):
    Role = apps.get_model("orgs", "Role")
    for role in Role.objects.all():
        if HISTORY in role.menus and TEMPLATES not in role.menus:
            menus = list(role.menus)
            menus.insert(menus.index(HISTORY) + 1, TEMPLATES)
            role.menus = menus
            role.save(update_fields=["menus"])


def unload(apps, schema_editor):
    Role = apps.get_model("orgs", "Role")
    for role in Role.objects.all():
        if TEMPLATES in role.menus:
            role.menus = [code for code in role.menus if code != TEMPLATES]
            role.save(update_fields=["menus"])


class Migration(migrations.Migration):
    dependencies = [("orgs", "0006_partial_unique_constraints")]
    operations = [migrations.RunPython(load, unload)]
