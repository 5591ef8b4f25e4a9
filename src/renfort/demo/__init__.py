"""The demo data set built by ``renfort demo``: see ``build.py`` and docs/demo.md.

A Django app only so that its management command is found; it has no models, and this module
imports none (the app registry imports it before models are ready).
"""
