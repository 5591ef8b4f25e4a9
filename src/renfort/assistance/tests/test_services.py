from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from renfort.accounts.models import Notification
from renfort.assistance.models import RequestStatus, RequestStatusChange
from renfort.assistance.selectors import duplicate_request_ids, request_duplicates
from renfort.assistance.services import request_decline, request_submit, request_transition
from renfort.testing import Personas, make_request, next_year, table_state, topic


def submit_args(p: Personas, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "by": p.member,
        "title": "Risk management for the port of Dakar",
        "administrations": [p.admin_a],
        "topics": [topic("risk_management")],
        "level": "operational",
        "needs": "Targeting at the port.",
        "preferred_start": next_year(3, 1),
        "preferred_end": next_year(5, 31),
        "language": "fr",
        "priority": 4,
    }
    args.update(overrides)
    return args


@pytest.mark.django_db
def test_submit_records_the_request_and_its_first_history_step(personas: Personas) -> None:
    req = request_submit(**submit_args(personas))
    assert req.status == RequestStatus.SUBMITTED
    assert req.reference.startswith("R-")
    assert list(req.administrations.all()) == [personas.admin_a]
    assert req.focal_point == personas.member
    step = req.history.get()
    assert (step.from_status, step.to_status, step.by) == ("", "submitted", personas.member)


@pytest.mark.django_db
def test_references_follow_each_other(personas: Personas) -> None:
    first = request_submit(**submit_args(personas))
    second = request_submit(**submit_args(personas))
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


@pytest.mark.django_db
def test_regional_request_by_one_of_its_administrations(personas: Personas) -> None:
    req = request_submit(
        **submit_args(personas, administrations=[personas.admin_a, personas.admin_c])
    )
    assert req.is_regional


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"title": "  "}, "title", "Title"),
        ({"topics": []}, "topics", "at least one topic"),
        ({"level": "cosmic"}, "level", "cosmic is not strategic"),
        ({"needs": ""}, "needs", "Needs"),
        ({"language": "French"}, "language", "French is not an ISO 639-1 code"),
        ({"priority": 9}, "priority", "9 is not between 1 and 5"),
        (
            {
                "preferred_start": datetime.date(2030, 5, 1),
                "preferred_end": datetime.date(2030, 4, 1),
            },
            "preferred_end",
            "the end ({}) is before the start ({})".format(
                date_format(datetime.date(2030, 4, 1), "DATE_FORMAT"),
                date_format(datetime.date(2030, 5, 1), "DATE_FORMAT"),
            ),
        ),
    ],
)
def test_submit_refuses_bad_input(personas: Personas, overrides, field, text) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        request_submit(**submit_args(personas, **overrides))
    assert text in " ".join(exc.value.message_dict[field])
    assert table_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "secretariat", "expert_user"])
def test_only_a_focal_point_of_a_requesting_administration_submits(personas: Personas, who) -> None:
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        request_submit(**submit_args(personas, by=getattr(personas, who)))
    assert "only a member focal point of one of the requesting" in str(exc.value)
    assert table_state() == before


@pytest.mark.django_db
def test_a_donor_agency_cannot_request(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        request_submit(
            **submit_args(personas, administrations=[personas.admin_a, personas.donor_agency])
        )
    assert "Nordic Development Agency is not a member administration" in str(exc.value)


@pytest.mark.django_db
def test_transition_writes_history_and_tells_the_focal_points(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    req = make_request(
        administrations=[personas.admin_a], focal_point=personas.member, status="submitted"
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_transition(request=req, to_status="under_appraisal", by=personas.secretariat)
    req.refresh_from_db()
    assert req.status == RequestStatus.UNDER_APPRAISAL
    step = req.history.get()
    assert (step.from_status, step.to_status, step.by) == (
        "submitted",
        "under_appraisal",
        personas.secretariat,
    )
    note = Notification.objects.get(recipient=personas.member)
    assert (note.code, note.params["reference"], note.params["status"]) == (
        "request.status_changed",
        req.reference,
        RequestStatus.UNDER_APPRAISAL,
    )
    assert req.reference in note.subject_text and "Under appraisal" in note.subject_text
    assert note.link == reverse("assistance:request_detail", args=[req.pk])
    assert [m.to for m in mailoutbox] == [[personas.member.email]]


@pytest.mark.django_db
def test_transition_outside_the_table_is_refused(personas: Personas) -> None:
    req = make_request(administrations=[personas.admin_a], status="declined")
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        request_transition(request=req, to_status="accepted", by=personas.secretariat)
    assert f"Request {req.reference} cannot go from Declined to Accepted" in str(exc.value)
    assert "none (final status)" in str(exc.value)
    assert table_state() == before
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_decline_needs_a_reason(personas: Personas) -> None:
    req = make_request(administrations=[personas.admin_a], status="submitted")
    before = table_state()
    with pytest.raises(ValidationError) as exc:
        request_decline(request=req, by=personas.secretariat, reason="  ")
    assert "Reason: say why request" in str(exc.value)
    assert table_state() == before
    request_decline(request=req, by=personas.secretariat, reason="Outside our mandate.")
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED
    assert req.decline_reason == "Outside our mandate."
    assert RequestStatusChange.objects.get(request=req).note == "Outside our mandate."


@pytest.mark.django_db
def test_duplicates_share_member_topic_and_period(personas: Personas) -> None:
    a, c = personas.admin_a, personas.admin_c
    base = make_request(
        administrations=[a],
        topics=["risk_management", "aeo"],
        status="submitted",
        preferred_start=next_year(3, 1),
        preferred_end=next_year(4, 30),
    )
    same = make_request(
        administrations=[a],
        topics=["aeo"],
        status="accepted",
        preferred_start=next_year(4, 15),
        preferred_end=next_year(6, 30),
    )
    make_request(administrations=[c], topics=["aeo"], status="submitted")  # other member
    make_request(administrations=[a], topics=["valuation"], status="submitted")  # other topic
    make_request(
        administrations=[a],
        topics=["aeo"],
        status="submitted",
        preferred_start=next_year(8, 1),
        preferred_end=next_year(9, 1),
    )  # other period
    make_request(administrations=[a], topics=["aeo"], status="declined")  # closed
    regional = make_request(administrations=[c, a], topics=["risk_management"], status="submitted")
    assert set(request_duplicates(request=base)) == {same, regional}
    flags = duplicate_request_ids([base, same])
    assert flags[base.pk] == sorted([same.pk, regional.pk])
    assert base.pk in flags[same.pk]
