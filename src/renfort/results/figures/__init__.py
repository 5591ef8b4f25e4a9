"""The figures of each party's results page, read in the database as aggregates so that a
page costs the same number of queries after ten years as after one (long lists are capped on
the page, with a link to their full, paginated list).

* ``access``: whose results a user may read (the party, or 404);
* ``common``: expert days, topics, ratings, follow-ups, indicators, mission rows;
* ``experts``: an expert's track record, a lending administration's contribution;
* ``members``: what a donor funds, what a beneficiary or a region received;
* ``year``: the secretariat's year in numbers.
"""
