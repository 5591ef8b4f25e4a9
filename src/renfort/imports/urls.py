from django.urls import path

from renfort.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="index"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("<str:kind>/", views.import_upload, name="upload"),
    path("<str:kind>/template.<str:fmt>", views.import_template, name="template"),
]
