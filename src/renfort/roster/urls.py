from django.urls import path

from renfort.roster import views
from renfort.roster.views.on_behalf import answer_on_behalf

app_name = "roster"
urlpatterns = [
    path("", views.expert_list, name="expert_list"),
    path("<int:pk>/", views.expert_detail, name="expert_detail"),
    path("<int:pk>/release/", views.expert_release, name="expert_release"),
    path("releases/", views.releases, name="releases"),
    path("releases/<int:pk>/", views.release_decide, name="release_decide"),
    path("releases/<int:pk>/answer/", answer_on_behalf, name="answer_on_behalf"),
    path("me/", views.my_profile, name="my_profile"),
    path("me/unavailable/", views.unavailability_add, name="unavailability_add"),
    path(
        "me/unavailable/<int:pk>/remove/",
        views.unavailability_remove,
        name="unavailability_remove",
    ),
    path("me/invitations/", views.invitations, name="invitations"),
    path("me/invitations/<int:pk>/", views.invitation_answer, name="invitation_answer"),
    path("me/missions/", views.my_missions, name="my_missions"),
    path("me/missions/<int:pk>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
]
