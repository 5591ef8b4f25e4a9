"""``renfort totp USERNAME``: the two-factor code an account's authenticator shows now.

For the demo and development only: it refuses to run unless DEBUG is on, since it reads the
secret of an account's authenticator.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from renfort.accounts.two_factor import current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of an account (demo and development: DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "`renfort totp` works only with DEBUG on (the demo): it reads an account's "
                "two-factor secret."
            )
        device = (
            TOTPDevice.objects.filter(user__username=options["username"], confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(f"{options['username']} has no two-factor sign-in set up.")
        self.stdout.write(current_code(device.key))
