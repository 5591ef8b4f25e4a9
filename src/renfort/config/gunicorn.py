"""gunicorn's settings for Renfort (``renfort serve --production``, docs/deploy.md).

The same settings by hand: ``gunicorn -c python:renfort.config.gunicorn
renfort.config.wsgi:application``. Each comes from the environment: ``WEB_CONCURRENCY``
worker processes (two per core plus one by default; long work goes to ``renfort worker``),
``GUNICORN_THREADS`` threads each, ``GUNICORN_TIMEOUT`` seconds before a silent worker is
replaced. The access log is Renfort's own (lib/logs.py, one JSON line per request with its
id), so gunicorn writes only its own messages, formatted like every other line.
"""

from __future__ import annotations

import os

from renfort.lib.logs import logging_config

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers wait on the database for part of each page: gunicorn's rule of thumb, two per
# core plus one, keeps a core busy while another worker waits (5 on 2 cores).
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (a little jitter so they do not all go at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
accesslog = None
errorlog = "-"
logconfig_dict = logging_config(
    json_lines=os.environ.get("LOG_FORMAT", "json").strip().lower() == "json",
    level=os.environ.get("LOG_LEVEL", "WARNING"),
)
# No control socket: it lives at one path per user, and two servers on one machine would
# fight over it (the benchmark runs one beside another); signals do the same work.
control_socket_disable = True
# The proxy in front sets X-Forwarded-*: gunicorn trusts it from these addresses only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
