"""PostgreSQL: announce new outbox rows with NOTIFY kium_outbox (domain/wake.py).

A statement-level trigger: one notification per INSERT statement, delivered by
PostgreSQL only when the inserting transaction commits. Nothing on SQLite.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION kium_outbox_announce() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('kium_outbox', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER kium_outbox_announce
    AFTER INSERT ON notifications_outboxmessage
    FOR EACH STATEMENT EXECUTE FUNCTION kium_outbox_announce();
"""

DROP = """
DROP TRIGGER IF EXISTS kium_outbox_announce ON notifications_outboxmessage;
DROP FUNCTION IF EXISTS kium_outbox_announce();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_templates_and_preferences")]

    operations = [migrations.RunPython(create, drop)]
