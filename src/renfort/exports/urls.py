from django.urls import path

from renfort.exports import views

app_name = "exports"
urlpatterns = [
    path("iati.xml", views.iati_download, name="iati"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
    path("<int:pk>/file/", views.export_file, name="export_file"),
]
