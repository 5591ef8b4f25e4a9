"""Each party's results as files (CSV, XLSX, PDF) and the expert's recognition certificate:
``base`` (the report and its three formats), ``experts`` (track record, contribution,
certificate), ``members`` (donor, beneficiary, region, the year in numbers)."""
