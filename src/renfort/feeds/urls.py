"""Included from ``config.urls`` under ``feeds/``."""

from django.urls import path

from renfort.feeds import views

app_name = "feeds"
urlpatterns = [
    path("", views.feed_list, name="feed_list"),
    path("<int:pk>/revoke/", views.feed_revoke_view, name="feed_revoke"),
    # Read by calendar applications, without signing in: the secret is the key.
    path("<str:token>.ics", views.feed_ical, name="feed_ical"),
]
