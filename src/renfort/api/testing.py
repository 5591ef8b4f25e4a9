"""Test helpers for the API: a token for any user, and a client that sends it.

from renfort.api.testing import api_client
client = api_client(personas.member)
response = client.get("/api/v1/requests/")
"""

from __future__ import annotations

from django.test import Client

from renfort.accounts.models import User
from renfort.api.tokens import token_create


def token_for(user: User, *, name: str = "test", expires_days: int | None = None) -> str:
    """A new token's secret for ``user`` (the second step of signing in taken as passed)."""
    made = token_create(owner=user, name=name, expires_days=expires_days, two_factor_verified=True)
    return made.secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def api_client(user: User | None) -> Client:
    """A test client that calls the API as ``user`` (None: with no token at all)."""
    if user is None:
        return Client()
    return Client(headers=bearer(token_for(user)))
