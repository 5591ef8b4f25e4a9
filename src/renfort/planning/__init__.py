"""The only bridge between the database and the planner (``renfort.planner``).

- ``problem``: chosen missions and the released pool as an exchange-format problem (out);
- ``services``: planner runs recorded and queued, proposals accepted, swapped, pinned, re-run;
- ``solving``: the worker's side of a run (solve, record progress, store the plan; back);
- ``selectors``: runs for who may see them, proposals to swap, runs waiting for review;
- ``review_selectors``: a finished plan read against the database for review;
- ``gaps``: the profiles the pool lacks; ``charts``: the progress chart.
"""
