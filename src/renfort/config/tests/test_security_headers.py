"""Response headers (Content Security Policy, Permissions-Policy, HSTS), cookies, templates
free of inline handlers and style attributes, and `check --deploy` clean with production
settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2]


def directives(response: HttpResponse) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_strict_csp(response: HttpResponse) -> str:
    """The policy Renfort promises (docs/security.md); returns the response's nonce."""
    policy = directives(response)
    assert policy.get("default-src") == ["'self'"]
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("base-uri") == ["'none'"]
    assert policy.get("frame-ancestors") == ["'none'"]
    assert policy.get("form-action") == ["'self'"]
    nonces = set()
    for name in ("script-src", "style-src"):
        sources = policy.get(name, [])
        assert "'self'" in sources, name
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(sources), name
        found = [s for s in sources if s.startswith("'nonce-")]
        assert len(found) == 1, (name, sources)
        nonces.add(found[0][len("'nonce-") : -1])
    assert len(nonces) == 1
    return nonces.pop()


def test_a_page_carries_the_strict_policy_with_its_nonce(client, db):
    response = client.get(reverse("accounts:login"))
    nonce = assert_strict_csp(response)
    html = response.content.decode()
    assert f'nonce="{nonce}"' in html
    assert '"includeIndicatorStyles": false' in html  # htmx adds no style element


def test_signed_in_pages_carry_the_policy(client, secretariat):
    client.force_login(secretariat)
    for name in ("home", "calendars:timeline", "accounts:preferences", "accounts:lockouts"):
        assert_strict_csp(client.get(reverse(name)))


def test_each_response_has_a_new_nonce(client, db):
    first = assert_strict_csp(client.get(reverse("accounts:login")))
    assert first != assert_strict_csp(client.get(reverse("accounts:login")))


def test_a_response_without_the_header_fails_the_check():
    with pytest.raises(AssertionError, match="no Content-Security-Policy"):
        assert_strict_csp(HttpResponse("<p>hello</p>"))
    loose = HttpResponse()
    loose["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'"
    )
    with pytest.raises(AssertionError):
        assert_strict_csp(loose)


def test_the_permissions_policy_refuses_unused_features(client, db):
    header = client.get(reverse("accounts:login")).headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_over_https(client, db):
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_handler_or_style_attribute():
    offenders = []
    handler = re.compile(r"\son[a-z]+\s*=|\shx-on|\sstyle\s*=", re.I)
    for path in SRC.rglob("templates/**/*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if handler.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{n}")
    assert offenders == []


def test_inline_script_and_style_blocks_carry_the_nonce():
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", path.read_text(encoding="utf-8")):
            if "src=" not in tag and "request.csp_nonce" not in tag:
                offenders.append(f"{path.relative_to(SRC)}: {tag}")
    assert offenders == []


PRODUCTION_SCRIPT = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "renfort.config.settings"
django.setup()
from django.conf import settings as s
print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE,
      s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_HTTPONLY,
      s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_SAMESITE,
      s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Not the test process's own switches (the browser journeys set DJANGO_ALLOW_ASYNC_UNSAFE
    # for Playwright, which a deploy check rightly refuses).
    unset = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY="q" * 10 + "-a-long-random-production-key-9f8e7d6c5b4a3210-xyz",
        ALLOWED_HOSTS="renfort.example.org",
        DATABASE_URL="",
        RENFORT_VAR=str(tmp_path),
        **extra,
    )
    return env


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SCRIPT],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False"] + ["True"] * 6 + ["Lax"] * 3 + ["True", "True"]


def test_debug_is_off_unless_set(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    out = subprocess.run(
        [sys.executable, "-m", "renfort.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in out.stderr
    assert "Traceback" not in out.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "renfort.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout


def test_security_txt_names_the_contact(client, settings):
    settings.SECURITY_CONTACT = "security@renfort.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert "Contact: mailto:security@renfort.example.org" in response.content.decode()
    assert "Expires: " in response.content.decode()
