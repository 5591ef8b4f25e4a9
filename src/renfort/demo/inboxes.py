"""The last notifications of a build: a welcome for every demo login, and the news a donor and
a regional coordinator follow (the workflow services tell members, experts and the
secretariat already)."""

from __future__ import annotations

from renfort.accounts.models import User
from renfort.accounts.services import notification_send
from renfort.assistance.models import Request, RequestStatus
from renfort.demo.context import DEMO_REGION, MS, BuildContext
from renfort.lib.links import link_to
from renfort.missions.models import Mission


def welcome(ctx: BuildContext) -> None:
    users = list(User.objects.filter(username__in=[login.username for login in ctx.logins]))
    notification_send(recipients=users, code="demo.welcome")
    _donor_news(ctx)
    _regional_news()


def _donor_news(ctx: BuildContext) -> None:
    funded = Mission.objects.filter(
        agreements__parties__organisation=ctx.donors["NTFF"],
        agreements__parties__role="funding",
    ).distinct()
    news = funded.filter(status__in=[MS.CONFIRMED, MS.REPORTED]).order_by("reference")[:5]
    for mission in news:
        notification_send(
            recipients=[ctx.donor_user],
            code="demo.funded_mission",
            params={
                "reference": mission.reference,
                "title": mission.title,
                "status": mission.status,
            },
            link=link_to("missions:mission_detail", mission.pk, fallback=""),
        )


def _regional_news() -> None:
    regional = User.objects.get(username="regional")
    waiting = Request.objects.filter(
        administrations__region=DEMO_REGION,
        status__in=[RequestStatus.SUBMITTED, RequestStatus.UNDER_APPRAISAL],
    ).distinct()
    for request in waiting.order_by("reference")[:5]:
        notification_send(
            recipients=[regional],
            code="demo.request_in_region",
            params={"reference": request.reference, "title": request.title},
            link=link_to("assistance:request_detail", request.pk, fallback=""),
        )
