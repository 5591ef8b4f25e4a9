from django.urls import path

from renfort.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="agreement_list"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
