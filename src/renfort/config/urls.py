from django.contrib import admin
from django.urls import include, path

from renfort.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("renfort.accounts.urls")),
    path("requests/", include("renfort.assistance.urls")),
    path("experts/", include("renfort.roster.urls")),
    path("missions/", include("renfort.missions.urls")),
    path("planner/", include("renfort.missions.urls_planner")),
    path("agreements/", include("renfort.agreements.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
