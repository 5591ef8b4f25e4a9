"""``renfort serve --production``: gunicorn with Renfort's settings, DEBUG left off."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_production_replaces_itself_with_gunicorn(settings, monkeypatch) -> None:
    settings.DEBUG = False
    calls = []
    monkeypatch.setattr(os, "execv", lambda path, argv: calls.append(argv))
    call_command("serve", "0.0.0.0:8100", production=True, no_collectstatic=True)
    (argv,) = calls
    assert argv[1:4] == ["-m", "gunicorn", "--config"]
    assert "python:renfort.config.gunicorn" in argv
    assert argv[-3:] == ["--bind", "0.0.0.0:8100", "renfort.config.wsgi:application"]


def test_production_refuses_debug(settings) -> None:
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("serve", production=True, no_collectstatic=True)


def test_the_cli_leaves_debug_off_for_production(tmp_path) -> None:
    """`renfort serve` turns DEBUG on for development; with --production it does not, so
    production settings (a key required) apply."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env |= {"RENFORT_VAR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-m", "renfort.cli", "serve", "--production", "--no-collectstatic"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "SECRET_KEY must be set when DEBUG is off" in out.stderr


def test_gunicorn_settings_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = importlib.reload(importlib.import_module("renfort.config.gunicorn"))
    assert config.workers == 3 and config.timeout == 30 and config.accesslog is None
    formatter = config.logconfig_dict["formatters"]["default"]
    assert formatter == {"()": "renfort.lib.logs.JsonFormatter"}
    monkeypatch.delenv("WEB_CONCURRENCY")
    assert importlib.reload(config).workers == 2 * (os.cpu_count() or 1) + 1


def test_the_development_server_stops_its_worker_on_sigterm(tmp_path) -> None:
    """`renfort serve` started a task worker beside it: a SIGTERM to the server (a
    supervisor, `kill`) stops the worker too, as Ctrl-C does."""
    import signal
    import socket
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {"RENFORT_VAR": str(tmp_path), "DATABASE_URL": "", "DEBUG": "true"}
    subprocess.run(
        [sys.executable, "-m", "renfort.cli", "migrate", "--no-input"],
        env=env,
        capture_output=True,
        check=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "renfort.cli", "serve", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "Task worker started (pid" in line, line
        worker_pid = int(line.split("pid ")[1].split(")")[0])
        time.sleep(2)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        for _ in range(60):
            try:
                os.kill(worker_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.25)
        else:
            os.kill(worker_pid, signal.SIGKILL)
            raise AssertionError("the worker outlived the server")
    finally:
        if server.poll() is None:
            server.kill()
