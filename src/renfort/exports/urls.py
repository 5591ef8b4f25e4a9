from django.urls import path

from renfort.exports import list_views, views
from renfort.exports.lists import LISTS

app_name = "exports"
urlpatterns = [
    path("iati.xml", views.iati_download, name="iati"),
    path("<int:pk>/", views.export_detail, name="export_detail"),
    path("<int:pk>/file/", views.export_file, name="export_file"),
    # Every list page as CSV or XLSX with its filters: exports:<list>_file (exports.lists).
    *(
        path(
            f"lists/{name}.<str:fmt>",
            list_views.list_download,
            {"name": name},
            name=f"{name}_file",
        )
        for name in LISTS
    ),
]
