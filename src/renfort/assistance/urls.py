from django.urls import path

from renfort.assistance import change_views, consultation_views, views

app_name = "assistance"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/change/", change_views.request_edit, name="request_edit"),
    path("<int:pk>/withdraw/", change_views.request_withdraw_view, name="request_withdraw"),
    path(
        "<int:pk>/missions/<int:mission_pk>/confirm/",
        views.mission_confirm,
        name="mission_confirm",
    ),
    path("appraisal/", views.appraisal_queue, name="appraisal_queue"),
    path("appraisal/merge/", views.requests_merge, name="requests_merge"),
    path("<int:pk>/appraise/", views.request_appraise, name="request_appraise"),
    path("<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("<int:pk>/decline/", views.request_decline, name="request_decline"),
    path(
        "<int:pk>/consultation/",
        consultation_views.consultation_ask,
        name="consultation_ask",
    ),
    path(
        "consultations/<int:pk>/answer/",
        consultation_views.consultation_answer,
        name="consultation_answer",
    ),
]
