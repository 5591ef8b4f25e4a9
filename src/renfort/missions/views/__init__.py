"""HTML views of missions, by context.

* ``missions``: the plan (the list), a mission's page, its status and its dates;
* ``staffing``: the secretariat's slots and assignments on a mission's page;
* ``matrix``: the Experts' Requirement Matrix, where lending administrations offer experts;
* ``detail`` renders a mission's page for the views that act on it, ``common`` holds what they
  all share.

Each view parses, authorises (``role_required``, then a selector that answers 404 for another
party's mission), calls one service or selector, and renders. The timeline and the month
calendar live in ``renfort.calendars``.
"""
