"""The addresses of the results framework (included by ``results.urls``, in its namespace):
objectives, their indicators and values, and the year's delivery plan."""

from django.urls import path

from renfort.results.views import delivery_plans, framework

urlpatterns = [
    path("objectives/", framework.objective_list, name="objective_list"),
    path("objectives/new/", framework.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", framework.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", framework.objective_edit, name="objective_edit"),
    path(
        "objectives/<int:pk>/indicators/new/",
        framework.indicator_create,
        name="indicator_create",
    ),
    path("indicators/<int:pk>/", framework.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", framework.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/values/", framework.actual_record, name="actual_record"),
    path("delivery-plans/", delivery_plans.delivery_plan_list, name="delivery_plan_list"),
    path(
        "delivery-plans/<int:year>/",
        delivery_plans.delivery_plan_detail,
        name="delivery_plan_detail",
    ),
    path(
        "delivery-plans/<int:year>/plan.pdf",
        delivery_plans.delivery_plan_file,
        name="delivery_plan_file",
    ),
    path(
        "delivery-plans/<int:year>/draft/",
        delivery_plans.delivery_plan_draft,
        name="delivery_plan_draft",
    ),
    path(
        "delivery-plans/<int:year>/status/",
        delivery_plans.delivery_plan_status,
        name="delivery_plan_status",
    ),
    path(
        "delivery-plans/<int:year>/publish/",
        delivery_plans.delivery_plan_publish,
        name="delivery_plan_publish",
    ),
]
