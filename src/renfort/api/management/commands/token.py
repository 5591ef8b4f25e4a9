"""``renfort token``: personal API tokens from the command line (docs/api.md).

    renfort token create USERNAME [--name N] [--expires DAYS]   prints the secret, once
    renfort token list USERNAME                                 prefix, name, dates
    renfort token revoke PREFIX_OR_ID                           revokes it for good

Whoever runs the command runs the server: a secretariat account gets a token here without the
second step of signing in, which the token page asks for.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from renfort.accounts.models import User
from renfort.api.models import ApiToken
from renfort.api.tokens import token_create, token_revoke, tokens_of


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token; prints its secret once.")
        create.add_argument("username")
        create.add_argument("--name", default="Command line", help="What the token is for.")
        create.add_argument(
            "--expires", type=int, default=None, metavar="DAYS", help="Days it lasts."
        )
        listing = actions.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix or id.")
        revoke.add_argument("token", help="The token's prefix (8 characters) or id.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["username"], options["name"], options["expires"])
        elif action == "list":
            self._list(options["username"])
        else:
            self._revoke(options["token"])

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _create(self, username: str, name: str, expires: int | None) -> None:
        try:
            made = token_create(
                owner=self._user(username),
                name=name,
                expires_days=expires,
                two_factor_verified=True,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Token {made.token.prefix} ({made.token.name}) for {username}. "
            "Copy it now: it is not shown again."
        )
        self.stdout.write(made.secret)

    def _list(self, username: str) -> None:
        for token in tokens_of(self._user(username))[:1000]:
            state = "revoked" if token.revoked_at else "active"
            expires = token.expires_at.date().isoformat() if token.expires_at else "never"
            used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "-"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}\t{state}\texpires {expires}\tused {used}\t{token.name}"
            )

    def _revoke(self, key: str) -> None:
        found = ApiToken.objects.filter(prefix=key).first()
        if found is None and key.isdigit():
            found = ApiToken.objects.filter(pk=int(key)).first()
        if found is None:
            raise CommandError(f"No token with the prefix or id {key!r}.")
        token_revoke(token=found, by=None)
        self.stdout.write(f"Token {found.prefix} ({found.name}) of {found.owner} is revoked.")
