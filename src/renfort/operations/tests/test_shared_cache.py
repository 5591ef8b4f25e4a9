"""The cache every process shares (docs/deploy.md, "Several machines"): a database table by
default, Redis when REDIS_URL is set, never the per-process memory cache."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection

SCRIPT = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"


def _backend(**env: str) -> str:
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "renfort.config.settings", "DEBUG": "true"}
    environ.pop("REDIS_URL", None)
    environ.update(env)
    code = f"import django; django.setup(); {SCRIPT}"
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_default_cache_is_a_database_table_and_redis_when_asked() -> None:
    assert _backend() == "django.core.cache.backends.db.DatabaseCache"
    assert _backend(REDIS_URL="redis://127.0.0.1:6379/0") == (
        "django.core.cache.backends.redis.RedisCache"
    )


@pytest.mark.django_db
def test_a_cached_value_is_a_row_another_process_reads() -> None:
    cache.set("renfort-shared", 42, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM renfort_cache WHERE cache_key LIKE %s", ["%shared"])
        assert cursor.fetchone()[0] == 1
    assert cache.get("renfort-shared") == 42
