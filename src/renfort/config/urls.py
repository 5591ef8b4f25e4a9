from django.contrib import admin
from django.urls import include, path

from renfort.accounts import lookups as organisation_lookups
from renfort.accounts import security_views
from renfort.home import audit_views
from renfort.home import views as home_views
from renfort.operations import views as operations_views
from renfort.roster import lookups as expert_lookups

# The endpoints behind lib/widgets.SearchableSelect: JSON, for signed-in users.
lookup_patterns = [
    path("organisations/", organisation_lookups.organisations, name="organisations"),
    path("experts/", expert_lookups.experts, name="experts"),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    # The audit trail (docs/audit.md): the secretariat's search, and one object's changes.
    path("audit/", audit_views.audit_search, name="audit_search"),
    path("audit/<str:label>/<int:pk>/", audit_views.object_changes, name="audit_object"),
    path("accounts/", include("renfort.accounts.urls")),
    path("requests/", include("renfort.assistance.urls")),
    path("experts/", include("renfort.roster.urls")),
    # The calendars keep the addresses users know: /missions/timeline/, /missions/calendar/.
    path("missions/", include("renfort.calendars.urls")),
    path("missions/", include("renfort.missions.urls")),
    path("planner/", include("renfort.planning.urls")),
    path("agreements/", include("renfort.agreements.urls")),
    path("results/", include("renfort.results.urls")),
    path("exports/", include("renfort.exports.urls")),
    path("imports/", include("renfort.imports.urls")),
    path("feeds/", include("renfort.feeds.urls")),
    path("privacy/", include("renfort.privacy.urls")),
    path("lookups/", include((lookup_patterns, "lookups"))),
    # The JSON API at /api/v1/ and the token page at /api-tokens/ (docs/api.md).
    path("", include("renfort.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(".well-known/security.txt", security_views.security_txt, name="security_txt"),
    # For the proxy and the orchestrator: 200 or 503, anonymous (docs/deploy.md).
    path("health/", operations_views.health, name="health"),
]
