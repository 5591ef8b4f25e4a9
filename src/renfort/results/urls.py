from django.urls import include, path

from renfort.results.views import after_mission, follow_ups

app_name = "results"
urlpatterns = [
    path("missions/<int:pk>/", after_mission.mission_results, name="mission_results"),
    path("missions/<int:pk>/deliver/", after_mission.mission_deliver, name="mission_deliver"),
    path("missions/<int:pk>/report/", after_mission.report_create, name="report_create"),
    path("missions/<int:pk>/evaluate/", after_mission.evaluation_create, name="evaluation_create"),
    path(
        "missions/<int:pk>/evaluations/",
        after_mission.evaluation_detail,
        name="evaluation_detail",
    ),
    path("reports/<int:pk>/", after_mission.report_detail, name="report_detail"),
    path("follow-ups/", follow_ups.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", follow_ups.follow_up_detail, name="follow_up_detail"),
    # Results for each party (results/party_urls.py).
    path("", include("renfort.results.party_urls")),
    # The results framework and the delivery plan (results/framework_urls.py).
    path("", include("renfort.results.framework_urls")),
]
