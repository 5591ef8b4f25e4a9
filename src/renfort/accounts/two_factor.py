"""Two-factor sign-in: a time-based code (TOTP, django-otp) from an authenticator app, and ten
single-use emergency codes for the day the phone is lost.

Open to every account, required of the roles in ``settings.TWO_FACTOR_REQUIRED_ROLES``. After
the password, a person who enrolled, or whose role requires it, passes the second step before
any other page (``accounts.middleware.TwoFactorMiddleware``); what is still to do is kept in
the session (``SESSION_KEY``), set when they sign in.
"""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Literal

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from renfort.accounts.models import User

SESSION_KEY = "renfort_two_factor"
Pending = Literal["verify", "enrol", ""]
EMERGENCY_CODES = 10
TOTP_STEP = 30
TOTP_DIGITS = 6


def two_factor_enrolled(user: User) -> bool:
    """Whether ``user`` has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: User | AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the role of ``user`` must sign in with a second step."""
    return getattr(user, "role", "") in settings.TWO_FACTOR_REQUIRED_ROLES


def two_factor_pending(user: User) -> Pending:
    """What the person still has to do after their password: ``"verify"`` a code, ``"enrol"``
    (their role requires it and they have no authenticator yet), or nothing."""
    if two_factor_enrolled(user):
        return "verify"
    return "enrol" if two_factor_required(user) else ""


def emergency_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- enrolment -----------------------------------------------------------------------------


def new_key() -> str:
    """A new secret for an authenticator (hex, as django-otp stores it)."""
    return str(random_hex(20))


def key_text(key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32, in groups of four."""
    b32 = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def setup_url(user: User, key: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return str(TOTPDevice(user=user, key=key, step=TOTP_STEP, digits=TOTP_DIGITS).config_url)


def qr_svg(url: str, *, title: str) -> str:
    """The QR code of ``url`` as inline SVG: no style attribute, no script (the page's Content
    Security Policy allows neither)."""
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(
        scale=4, dark="#000", light="#fff", title=title, svgclass="qr", lineclass=None
    )
    return svg


def _code(code: str) -> str:
    return "".join(str(code).split()).lower()


def current_code(key: str, *, at: float | None = None) -> str:
    """The code an authenticator shows now for ``key`` (demo and tests)."""
    totp = TOTP(unhexlify(key), step=TOTP_STEP, digits=TOTP_DIGITS)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{TOTP_DIGITS}d}"


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    emergency_codes: list[str]


@transaction.atomic
def two_factor_enrol(*, user: User, key: str, code: str) -> Enrolment:
    """Turn on two-factor sign-in for ``user`` with the authenticator holding ``key``, once it
    shows it works (``code``). Replaces any former authenticator and emergency codes; returns
    the device and the new emergency codes, to be shown once."""
    code = _code(code)
    if not code.isdigit() or len(code) != TOTP_DIGITS:
        raise ValidationError(
            {"code": _("Enter the 6-digit code your authenticator app shows.")}, code="format"
        )
    try:
        binary = unhexlify(key)
    except (ValueError, TypeError):
        raise ValidationError(_("The set-up has expired: start again."), code="no_key") from None
    totp = TOTP(binary, step=TOTP_STEP, digits=TOTP_DIGITS)
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        raise ValidationError(
            {
                "code": _(
                    "This code does not match: check the time of your phone and enter the "
                    "code it shows now."
                )
            },
            code="mismatch",
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=_("Authenticator app"),
        key=key,
        step=TOTP_STEP,
        digits=TOTP_DIGITS,
        confirmed=True,
        last_t=totp.t(),
    )
    return Enrolment(device, _new_emergency_codes(user))


def _new_emergency_codes(user: User) -> list[str]:
    device = StaticDevice.objects.create(user=user, name=_("Emergency codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(EMERGENCY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def _devices(user: User) -> list[Device]:
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def _check_code(user: User, code: str) -> Device:
    """The device that accepts ``code``, or a ValidationError keyed ``code``. Each wrong
    code is remembered (django-otp makes the next try wait longer); not in a transaction,
    so that a refusal keeps that count."""
    code = _code(code)
    if not code:
        raise ValidationError(
            {"code": _("Enter the code of your authenticator app or an emergency code.")},
            code="required",
        )
    devices = _devices(user)
    if not devices:
        raise ValidationError(_("Two-factor sign-in is not set up for this account."), code="none")
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            count = int((data or {}).get("failure_count", 1))
            waits.append(2 ** max(0, count - 1))
            continue
        if device.verify_token(code):
            return device
    if waits and len(waits) == len(devices):
        wait = min(waits)
        raise ValidationError(
            {
                "code": ngettext(
                    "Too many wrong codes: wait %(seconds)d second and try again.",
                    "Too many wrong codes: wait %(seconds)d seconds and try again.",
                    wait,
                )
                % {"seconds": wait}
            },
            code="throttled",
        )
    raise ValidationError(
        {"code": _("This code is not right, or has already been used: enter the one shown now.")},
        code="mismatch",
    )


def two_factor_verify(*, request: HttpRequest, user: User, code: str) -> Device:
    """Pass the second step of signing in with ``code`` (from the authenticator, or an emergency
    code, which is then used up): the session counts as verified from now on."""
    device = _check_code(user, code)
    otp_login(request, device)
    request.session[SESSION_KEY] = ""
    return device


def two_factor_disable(*, user: User, code: str) -> None:
    """Turn off two-factor sign-in for ``user``, who proves it is them with a current code.
    Refused when their role requires it."""
    if two_factor_required(user):
        raise ValidationError(
            _("Your role requires two-factor sign-in: it cannot be turned off."), code="required"
        )
    _check_code(user, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def two_factor_new_emergency_codes(*, user: User, code: str) -> list[str]:
    """Replace the emergency codes of ``user`` (a current code proves it is them)."""
    _check_code(user, code)
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        return _new_emergency_codes(user)
