from django.urls import path

from renfort.agreements.views import agreements, costs, documents, funding

app_name = "agreements"
urlpatterns = [
    path("", agreements.agreement_list, name="agreement_list"),
    path("new/", agreements.agreement_create, name="agreement_create"),
    path("rates/", costs.rate_list, name="rate_list"),
    path("<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("<int:pk>/status/", agreements.agreement_transition, name="agreement_transition"),
    path("<int:pk>/lines/", funding.budget_line_add, name="budget_line_add"),
    path("<int:pk>/lines/<int:line_pk>/", funding.budget_line_edit, name="budget_line_edit"),
    path(
        "<int:pk>/lines/<int:line_pk>/remove/",
        funding.budget_line_remove,
        name="budget_line_remove",
    ),
    path("<int:pk>/fundings/", funding.funding_add, name="funding_add"),
    path("<int:pk>/fundings/<int:funding_pk>/", funding.funding_edit, name="funding_edit"),
    path(
        "<int:pk>/fundings/<int:funding_pk>/remove/",
        funding.funding_remove,
        name="funding_remove",
    ),
    path("<int:pk>/costs/", costs.actual_cost_add, name="actual_cost_add"),
    path("<int:pk>/documents/", documents.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document_download",
    ),
    path("missions/<int:mission_pk>/", funding.mission_funding, name="mission_funding"),
    path("missions/<int:mission_pk>/estimate/", funding.mission_estimate, name="mission_estimate"),
]
