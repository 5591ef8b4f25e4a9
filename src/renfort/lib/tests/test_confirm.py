"""The confirmation step: nothing goes through until the person confirms; a required reason
left blank asks again; every posted field is carried to the second page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from renfort.lib.confirm import confirmation


def _ask(data: dict[str, str], reason: str = "none") -> tuple[int | None, str, str]:
    request = RequestFactory().post("/missions/1/cancel/", data)
    request.user = AnonymousUser()
    step = confirmation(
        request,
        title="Cancel the mission?",
        consequence="The experts will be told.",
        action="Cancel the mission",
        cancel_url="/missions/1/",
        reason=reason,  # type: ignore[arg-type]
    )
    if step.page is None:
        return None, "", step.reason
    return step.page.status_code, step.page.content.decode(), step.reason


@pytest.mark.django_db
def test_the_first_post_shows_the_question_and_carries_the_fields() -> None:
    status, html, _ = _ask({"to_status": "cancelled", "slot": "3"})
    assert status == 200
    assert "Cancel the mission?" in html and "The experts will be told." in html
    assert 'name="to_status" value="cancelled"' in html and 'name="slot" value="3"' in html
    assert 'name="confirmed" value="yes"' in html
    assert 'href="/missions/1/"' in html


@pytest.mark.django_db
def test_a_confirmed_post_goes_through_without_a_reason_when_none_is_asked() -> None:
    status, _, reason = _ask({"confirmed": "yes", "reason": "ignored"})
    assert status is None and reason == ""


@pytest.mark.django_db
def test_a_required_reason_left_blank_asks_again_with_the_error() -> None:
    status, html, _ = _ask({"confirmed": "yes", "reason": "  "}, reason="required")
    assert status == 400
    assert "Give a reason" in html and 'aria-invalid="true"' in html


@pytest.mark.django_db
def test_a_too_long_reason_is_refused() -> None:
    status, html, _ = _ask({"confirmed": "yes", "reason": "x" * 1001}, reason="optional")
    assert status == 400 and "too long" in html


@pytest.mark.django_db
def test_a_given_reason_is_returned_trimmed() -> None:
    status, _, reason = _ask({"confirmed": "yes", "reason": " Host asked. "}, reason="required")
    assert status is None and reason == "Host asked."
