from django.urls import path

from renfort.privacy import views

app_name = "privacy"
urlpatterns = [
    path("me/", views.my_data, name="my_data"),
    path("experts/<int:pk>/", views.expert_data_page, name="expert_data"),
    path("experts/<int:pk>/data.json", views.expert_data_json, name="expert_data_json"),
    path("experts/<int:pk>/erasure/", views.erasure_ask, name="erasure_ask"),
    path("erasures/", views.erasure_queue_page, name="erasure_queue"),
    path("erasures/<int:pk>/approve/", views.erasure_approve, name="erasure_approve"),
    path("erasures/<int:pk>/refuse/", views.erasure_refuse, name="erasure_refuse"),
]
