"""PostgreSQL connections bind parameters on the server and prepare frequent statements
(docs/decisions/0003); KIUM_DB_PREPARE_THRESHOLD tunes it or, empty, turns it off."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PG_URL = "postgres://postgres@127.0.0.1:5432/kium_settings_probe"


def _options(**env: str) -> dict | None:
    """DATABASES["default"]["OPTIONS"] as a fresh interpreter reads the settings."""
    probe = (
        "import json, kium.settings as s;print(json.dumps(s.DATABASES['default'].get('OPTIONS')))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KIUM_DB_")}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_prepares_after_five_runs_by_default():
    assert _options(DATABASE_URL=PG_URL) == {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(("value", "threshold"), [("2", 2), ("", None), (" ", None)])
def test_the_threshold_is_a_setting(value, threshold):
    options = _options(DATABASE_URL=PG_URL, KIUM_DB_PREPARE_THRESHOLD=value)
    assert options == {"server_side_binding": True, "prepare_threshold": threshold}


@pytest.mark.parametrize("value", ["five", "-1", "2.5"])
def test_a_malformed_threshold_stops_the_start_up(value):
    with pytest.raises(subprocess.CalledProcessError) as exc:
        _options(DATABASE_URL=PG_URL, KIUM_DB_PREPARE_THRESHOLD=value)
    assert "KIUM_DB_PREPARE_THRESHOLD: a whole number" in exc.value.stderr


def test_sqlite_keeps_its_own_options(tmp_path):
    options = _options(DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "prepare_threshold" not in options
