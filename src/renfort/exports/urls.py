from django.urls import path

from renfort.exports import views

app_name = "exports"
urlpatterns = [
    path("iati.xml", views.iati_download, name="iati"),
]
