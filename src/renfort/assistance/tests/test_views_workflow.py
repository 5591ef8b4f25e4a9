"""From a member's request to a confirmed mission, walked through the real views of every
role that acts on it. Steps that belong to the planning pages (dates, staffing, invitations)
go through the missions services, as those pages do."""

from __future__ import annotations

import datetime

from django.urls import reverse

from renfort.assistance.models import Request, RequestStatus
from renfort.missions import services as mission_services
from renfort.missions.models import Assignment, AssignmentStatus, Mission, MissionStatus, Slot
from renfort.roster.models import ReleaseStatus
from renfort.testing import next_year


def test_request_to_confirmed_mission(client, personas, django_capture_on_commit_callbacks):
    p = personas
    # 1. The member focal point of Senegal asks for help.
    client.force_login(p.member)
    response = client.post(
        reverse("assistance:request_create"),
        {
            "title": "Risk profiling at Dakar port",
            "topics": ["risk_management"],
            "level": "operational",
            "needs": "Train 20 officers in risk profiling.",
            "preferred_start": next_year(4, 1).isoformat(),
            "preferred_end": next_year(6, 30).isoformat(),
            "language": "fr",
            "priority": "4",
        },
    )
    req = Request.objects.get()
    assert response.status_code == 302

    # 2. The secretariat appraises it and accepts it: a draft mission with a suggested slot.
    client.force_login(p.secretariat)
    assert req.reference in client.get(reverse("assistance:appraisal_queue")).content.decode()
    client.post(reverse("assistance:request_appraise", args=[req.pk]))
    client.post(reverse("assistance:request_accept", args=[req.pk]), {"confirmed": "yes"})
    mission = Mission.objects.get(requests=req)
    assert mission.status == MissionStatus.DRAFT

    # 3. Planning (the missions pages): dates in the window, France's expert invited.
    start = mission.window_start
    assert start is not None
    mission_services.mission_set_dates(
        mission=mission, start=start, end=start + datetime.timedelta(days=4), by=p.secretariat
    )
    slot = Slot.objects.get(mission=mission)
    assignment = mission_services.assignment_create(slot=slot, expert=p.expert, by=p.secretariat)
    mission_services.mission_transition(
        mission=mission, to_status=MissionStatus.PLANNED, by=p.secretariat
    )
    mission_services.assignment_transition(
        assignment=assignment, to_status=AssignmentStatus.INVITED, by=p.secretariat
    )

    # 4. The expert accepts the invitation.
    client.force_login(p.expert_user)
    assert mission.reference in client.get(reverse("roster:invitations")).content.decode()
    client.post(
        reverse("roster:invitation_answer", args=[assignment.pk]),
        {f"a{assignment.pk}-answer": "accept"},
    )

    # 5. France, the lending administration, grants the release.
    client.force_login(p.lender)
    assert mission.reference in client.get(reverse("roster:releases")).content.decode()
    client.post(reverse("roster:release_decide", args=[assignment.pk]), {"decision": "grant"})
    assignment.refresh_from_db()
    assert (assignment.status, assignment.release_status) == (
        AssignmentStatus.ACCEPTED,
        ReleaseStatus.GRANTED,
    )

    # 6. The secretariat proposes the dates; Senegal confirms them from its request's page.
    mission_services.mission_transition(
        mission=mission, to_status=MissionStatus.SCHEDULED, by=p.secretariat
    )
    client.force_login(p.member)
    detail = reverse("assistance:request_detail", args=[req.pk])
    html = client.get(detail).content.decode()
    assert "Planned" in html and "Confirm the proposed dates" in html
    client.post(reverse("missions:terms_confirm", args=[mission.pk]))  # terms of reference
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assistance:mission_confirm", args=[req.pk, mission.pk]))
    mission.refresh_from_db()
    assert mission.status == MissionStatus.CONFIRMED
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.CONFIRMED
    req.refresh_from_db()
    assert req.status == RequestStatus.PLANNED
    history = [c.to_status for c in req.history.all()]
    assert history == ["submitted", "under_appraisal", "accepted", "planned"]

    # 7. The expert sees the confirmed mission among theirs, and was told.
    client.force_login(p.expert_user)
    html = client.get(reverse("roster:my_missions")).content.decode()
    assert mission.reference in html and "Confirmed" in html
    assert p.expert_user.notifications.filter(params__reference=mission.reference).exists()
