"""Fixtures for the accounts tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A French request leaves French active on the thread (LocaleMiddleware never resets
    it); put the default back so later tests, here or in other apps, start in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
