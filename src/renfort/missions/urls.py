from django.urls import path

from renfort.missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="mission_list"),
    path("<int:pk>/", views.mission_detail, name="mission_detail"),
    path("<int:pk>/status/", views.mission_transition, name="mission_transition"),
    path("<int:pk>/dates/", views.mission_set_dates, name="mission_set_dates"),
    path("<int:pk>/slots/", views.slot_add, name="slot_add"),
    path("slots/<int:pk>/remove/", views.slot_remove, name="slot_remove"),
    path("slots/<int:pk>/assign/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/swap/", views.assignment_swap, name="assignment_swap"),
    path("assignments/<int:pk>/pin/", views.assignment_pin, name="assignment_pin"),
    path("assignments/<int:pk>/status/", views.assignment_transition, name="assignment_transition"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:pk>/offer/", views.matrix_offer, name="matrix_offer"),
    path("timeline/", views.timeline, name="timeline"),
    path("calendar/", views.month_calendar, name="calendar"),
]
