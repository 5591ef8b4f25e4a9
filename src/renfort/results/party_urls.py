"""The addresses of each party's results (included by ``results.urls``, in its namespace).

Each page has its files beside it (``.../<name>.csv``, ``.xlsx``, ``.pdf``) and the full
lists its page caps (``.../missions/``, ``ratings/``, ``indicators/``)."""

from django.urls import path

from renfort.results.views import party, party_files

urlpatterns = [
    path("", party.party_home, name="party_home"),
    path("year/", party.year, name="year"),
    path("year/numbers.<str:fmt>", party_files.year_file, name="year_file"),
    # An expert's track record and certificate.
    path("experts/<int:pk>/", party.expert_record, name="expert_record"),
    path(
        "experts/<int:pk>/track-record.<str:fmt>",
        party_files.expert_record_file,
        name="expert_record_file",
    ),
    path(
        "experts/<int:pk>/certificate.pdf",
        party_files.expert_certificate,
        name="expert_certificate",
    ),
    path("experts/<int:pk>/missions/", party_files.expert_missions, name="expert_missions"),
    path("experts/<int:pk>/ratings/", party_files.expert_ratings, name="expert_ratings"),
    # A member administration as lending administration, as beneficiary; a donor.
    path("lending/<int:pk>/", party.lending, name="lending"),
    path("lending/<int:pk>/contribution.<str:fmt>", party_files.lending_file, name="lending_file"),
    path("lending/<int:pk>/missions/", party_files.lending_missions, name="lending_missions"),
    path("lending/<int:pk>/ratings/", party_files.lending_ratings, name="lending_ratings"),
    path("beneficiaries/<int:pk>/", party.beneficiary, name="beneficiary"),
    path(
        "beneficiaries/<int:pk>/assistance.<str:fmt>",
        party_files.beneficiary_file,
        name="beneficiary_file",
    ),
    path(
        "beneficiaries/<int:pk>/missions/",
        party_files.beneficiary_missions,
        name="beneficiary_missions",
    ),
    path(
        "beneficiaries/<int:pk>/indicators/",
        party_files.beneficiary_indicators,
        name="beneficiary_indicators",
    ),
    path("donors/<int:pk>/", party.donor, name="donor"),
    path("donors/<int:pk>/funding.<str:fmt>", party_files.donor_file, name="donor_file"),
    path("donors/<int:pk>/missions/", party_files.donor_missions, name="donor_missions"),
    path("donors/<int:pk>/indicators/", party_files.donor_indicators, name="donor_indicators"),
    # A WCO region, by its code.
    path("regions/<str:code>/", party.region, name="region"),
    path("regions/<str:code>/results.<str:fmt>", party_files.region_file, name="region_file"),
    path("regions/<str:code>/missions/", party_files.region_missions, name="region_missions"),
    path(
        "regions/<str:code>/indicators/",
        party_files.region_indicators,
        name="region_indicators",
    ),
]
