"""Real-browser tests of Renfort: each role's journey through the pages, in Chromium.

Nothing here runs in the application; the tests live in ``tests/`` (docs/guide.md shows the
screenshots they take).
"""
