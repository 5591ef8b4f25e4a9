"""HTML views of results, by context.

* ``after_mission``: a mission's results page (delivery, reports, evaluation, follow-up
  actions), the secretariat's delivery, an expert's report, a beneficiary's evaluation;
* ``follow_ups``: the follow-up actions a party owns, each marked done on its own page.

Each view parses, authorises (``role_required``, then a selector that answers 404 for another
party's object), calls one service or selector, and renders.
"""
