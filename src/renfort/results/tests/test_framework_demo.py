"""The demo's results framework: its objectives and indicators open for the demo logins that
should see them, and its year has a published delivery plan, the same from one build to the
next."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import User
from renfort.results.framework_selectors import objectives_visible_to
from renfort.results.models import DeliveryPlan, DeliveryPlanStatus
from renfort.testing import sign_in

TODAY = datetime.date(2026, 11, 29)


def _build(*args: str) -> None:
    call_command("demo", "--small", f"--today={TODAY.isoformat()}", *args, stdout=StringIO())


def _plans() -> list[tuple[int, str]]:
    return list(DeliveryPlan.objects.order_by("year").values_list("year", "status"))


@pytest.mark.sqlite_only  # the demo's content: the same on both databases
@pytest.mark.django_db
def test_the_demo_shows_the_framework_and_a_published_plan() -> None:
    """(That it builds the same twice is checked with the whole demo, in demo/tests.)"""
    _build()
    assert _plans() == [(TODAY.year, DeliveryPlanStatus.PUBLISHED)]
    client = Client()
    for username in ("secretariat", "regional", "member", "donor"):
        user = User.objects.get(username=username)
        sign_in(client, user)  # the demo's secretariat signs in with a second step
        plan = client.get(reverse("results:delivery_plan_detail", args=[TODAY.year]))
        assert plan.status_code == 200, username
        assert plan.context["counts"].missions > 0
        objective = objectives_visible_to(user).first()
        assert objective is not None, username
        page = client.get(reverse("results:objective_detail", args=[objective.pk]))
        assert page.status_code == 200 and page.context["cards"], username
    client.force_login(User.objects.get(username="expert"))
    assert client.get(reverse("results:delivery_plan_list")).status_code == 403
