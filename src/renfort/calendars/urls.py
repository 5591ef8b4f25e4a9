"""Included from ``config.urls`` under ``missions/``, where users have always found them."""

from django.urls import path

from renfort.calendars import views

app_name = "calendars"
urlpatterns = [
    path("timeline/", views.timeline, name="timeline"),
    path("calendar/", views.month_calendar, name="calendar"),
]
