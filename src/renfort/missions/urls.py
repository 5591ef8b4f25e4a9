from django.urls import path

from renfort.missions.views import changes, lookups, matrix, missions, staffing, terms

app_name = "missions"
urlpatterns = [
    path("", missions.mission_list, name="mission_list"),
    # JSON: the experts of a slot's assign, swap and exclude forms (SearchableSelect).
    path("slot-experts/", lookups.slot_experts, name="slot_experts"),
    path("<int:pk>/", missions.mission_detail, name="mission_detail"),
    path("<int:pk>/status/", missions.mission_transition, name="mission_transition"),
    path("<int:pk>/dates/", missions.mission_set_dates, name="mission_set_dates"),
    path("<int:pk>/edit/", changes.mission_edit, name="mission_edit"),
    path("<int:pk>/postpone/", changes.mission_postpone, name="mission_postpone"),
    path(
        "<int:pk>/planning-options/",
        missions.mission_set_planning_options,
        name="mission_set_planning_options",
    ),
    path("<int:pk>/slots/", staffing.slot_add, name="slot_add"),
    path("slots/<int:pk>/remove/", staffing.slot_remove, name="slot_remove"),
    path("slots/<int:pk>/assign/", staffing.assignment_create, name="assignment_create"),
    path("slots/<int:pk>/exclude/", staffing.slot_exclusion_add, name="slot_exclusion_add"),
    path(
        "exclusions/<int:pk>/remove/",
        staffing.slot_exclusion_remove,
        name="slot_exclusion_remove",
    ),
    path("assignments/<int:pk>/swap/", staffing.assignment_swap, name="assignment_swap"),
    path("assignments/<int:pk>/pin/", staffing.assignment_pin, name="assignment_pin"),
    path(
        "assignments/<int:pk>/status/",
        staffing.assignment_transition,
        name="assignment_transition",
    ),
    path("<int:pk>/terms/", terms.terms, name="terms"),
    path("<int:pk>/terms.pdf", terms.terms_document, name="terms_pdf"),
    path("<int:pk>/terms/confirm/", terms.terms_confirm, name="terms_confirm"),
    path("<int:pk>/terms/send/", terms.terms_send, name="terms_send"),
    path("assignments/<int:pk>/pack/", terms.mission_pack, name="mission_pack"),
    path(
        "assignments/<int:pk>/invitation.pdf",
        terms.invitation_letter,
        name="invitation_letter",
    ),
    path("matrix/", matrix.matrix, name="matrix"),
    path("matrix/<int:pk>/offer/", matrix.matrix_offer, name="matrix_offer"),
    path("matrix/offers/<int:pk>/assign/", matrix.matrix_assign, name="matrix_assign"),
]
