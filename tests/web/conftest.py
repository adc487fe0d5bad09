"""The web store's tests: Django configured from antai.web.settings with a fresh data folder.

pytest loads this file before any test module here imports Django models, and before Django has read its
settings (unless DJANGO_SETTINGS_MODULE was already in the environment or given with ``--ds``: then those
settings stand). The environment is set first, then Django is set up; pytest-django's ``pytest_configure``
finds it ready when this file was loaded at start-up (``pytest tests/web/...``), and its database fixtures
read DJANGO_SETTINGS_MODULE from the environment in any case.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import django
import django.conf
import pytest
from django.apps import apps

if not django.conf.settings.configured:
    _fresh = tempfile.mkdtemp(prefix="antai-web-test-")
    atexit.register(shutil.rmtree, _fresh, True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "antai.web.settings"
    os.environ["ANTAI_WEB_TESTING"] = "1"
    os.environ["ANTAI_WEB_DATA"] = _fresh
    os.environ.pop("ANTAI_WEB_KEY", None)  # the master key comes from the data folder unless a test sets one
if not apps.ready:
    django.setup()

DATA = Path(django.conf.settings.DATA)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """SQLite tests run on a file, not in memory: threads then get connections of their own to one database,
    with the locking the settings ask for (WAL, BEGIN IMMEDIATE)."""
    database = django.conf.settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(DATA / "test.sqlite3")
