from django.urls import path

from renfort.planning import lookups, views

app_name = "planner"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("new/", views.run_create, name="run_create"),
    path("gaps/", views.gaps, name="gaps"),
    path("missions/lookup/", lookups.plannable, name="plannable_missions"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/accept/", views.run_accept, name="run_accept"),
    path("<int:pk>/rerun/", views.run_rerun, name="run_rerun"),
    path("<int:pk>/proposals/<str:slot>/swap/", views.run_swap, name="run_swap"),
    path("<int:pk>/proposals/<str:slot>/pin/", views.run_pin, name="run_pin"),
    path("missions/<int:pk>/relaxations/", views.mission_relaxations, name="mission_relaxations"),
    path("missions/<int:pk>/slot-counts/", views.slot_counts, name="slot_counts"),
]
