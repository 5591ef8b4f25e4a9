"""Test settings: fast hashing, tasks run at once, mail kept in memory.

``DATABASE_URL`` chooses the database as in production; unset, tests use SQLite.
"""

import os
import tempfile
from pathlib import Path

# The tests run as development does (DEBUG set, a development key, plain-HTTP cookies); the
# production settings are tested where they matter (config/tests/test_security_headers.py).
os.environ.setdefault("DEBUG", "true")

from renfort.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PLANNER_TIME_LIMIT_S = 2.0
# Transactional tests commit every factory row on its own, and the immediate backend would
# recompute the pool gaps after each one (the race tests three times slower): the tests of the
# refresh turn it on (planning/tests/test_gaps.py).
POOL_GAPS_REFRESH_ON_CHANGE = False
PLANNER_RELAXATIONS_ON_READ = False
# A test's rows commit only when it ends (on_commit never runs inside its transaction), so the
# results figures' cache would serve a page computed before the test changed its data: off,
# except in its own tests (results/tests/test_figures_cache.py).
RESULTS_CACHE_SECONDS = 0
# Uploaded documents go to a scratch folder per test process, never under the checkout's var/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"renfort-test-media-{os.getpid()}"

# Several test runs on one machine (parallel developers, a benchmark beside the suite) each
# take their own test database when RENFORT_TEST_DB names one. SQLite tests use a file, one per
# process, not the in-memory database: the race tests (missions/tests/test_races.py) need
# threads with their own connections to one database, and IMMEDIATE transactions between them.
_test_db = os.environ.get("RENFORT_TEST_DB", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    _test_db = os.path.join(
        tempfile.gettempdir(), f"{_test_db or f'renfort-test-{os.getpid()}'}.sqlite3"
    )
if _test_db:
    DATABASES["default"]["TEST"] = {"NAME": _test_db}  # noqa: F405

# Two-factor sign-in is required of no role here: hundreds of tests sign a secretariat persona
# in with force_login; the tests of two-factor sign-in turn the requirement on
# (accounts/tests/test_signin_two_factor.py). A user who enrolled still passes the second step.
TWO_FACTOR_REQUIRED_ROLES = []
# Django's test Client.login() authenticates without a request, which django-axes refuses:
# this backend lets such a call through to the next one (signing in through the page still
# counts failures and locks out: accounts/tests/test_signin_lockout.py).
AUTHENTICATION_BACKENDS = [
    "renfort.accounts.signin.TestClientLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
