"""The calendar feeds page up the ladder, and the secret address: who may create which feed,
refusals that write nothing, revoking, and the 404s of a dead address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from renfort.accounts.models import Region
from renfort.feeds.models import CalendarFeed, FeedKind
from renfort.feeds.tests.world import build, feed, fetch_raw
from renfort.testing import make_member, sign_in, table_state

pytestmark = pytest.mark.django_db
PAGE = "/feeds/"


def _state() -> tuple[object, list[tuple[object, ...]]]:
    return table_state(), list(CalendarFeed.objects.values_list("pk", "revoked_at"))


def test_anonymous_is_sent_to_sign_in(client):
    for method in ("get", "post"):
        response = getattr(client, method)(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_offers_the_kinds_of_each_role(client, personas):
    expected = {
        "secretariat": {"plan", "region", "member", "donor", "expert"},
        "regional": {"region", "member", "expert"},
        "member": {"member", "donor", "expert"},
        "donor": {"donor"},
        "expert_user": {"expert"},
    }
    for name, kinds in expected.items():
        sign_in(client, personas.users()[name])
        response = client.get(PAGE)
        assert response.status_code == 200
        shown = {k for k in FeedKind.values if f'value="{k}"' in response.content.decode()}
        assert shown == kinds, name


def test_a_member_creates_a_feed_and_sees_its_address_once_listed(client, personas):
    sign_in(client, personas.member)
    response = client.post(PAGE, {"kind": FeedKind.MEMBER, "organisation": personas.admin_a.pk})
    assert response.status_code == 302
    created = CalendarFeed.objects.get(owner=personas.member)
    assert created.kind == FeedKind.MEMBER and created.organisation == personas.admin_a
    assert created.token not in created.key_hash + created.nonce  # stored as a hash only
    page = client.get(PAGE).content.decode()
    assert f"http://testserver/feeds/{created.token}.ics" in page
    assert "readonly" in page and "data-copy-target" in page
    assert fetch_raw(client, created).status_code == 200


@pytest.mark.parametrize(
    ("user", "data", "status"),
    [
        ("member", {"kind": "member", "organisation": "@admin_c"}, 404),
        ("member", {"kind": "donor", "organisation": "@donor_agency"}, 404),
        ("member", {"kind": "expert", "expert": "@expert"}, 404),  # lent by France
        ("member", {"kind": "region", "region": Region.WEST_CENTRAL_AFRICA}, 403),
        ("member", {"kind": "plan"}, 403),
        ("regional", {"kind": "region", "region": Region.EAST_SOUTHERN_AFRICA}, 404),
        ("regional", {"kind": "member", "organisation": "@admin_c"}, 404),
        ("regional", {"kind": "donor", "organisation": "@donor_agency"}, 403),
        ("donor", {"kind": "donor", "organisation": "@admin_a"}, 404),
        ("donor", {"kind": "plan"}, 403),
        ("donor", {"kind": "region", "region": ""}, 403),
        ("expert_user", {"kind": "member", "organisation": ""}, 403),
        ("expert_user", {"kind": "expert", "expert": "@other_expert"}, 404),
        ("outsider", {"kind": "member", "organisation": "@admin_a"}, 404),
    ],
)
def test_nobody_creates_a_feed_of_what_is_not_theirs(client, personas, user, data, status):
    from renfort.testing import make_expert

    objects = {
        "@admin_a": personas.admin_a.pk,
        "@admin_c": personas.admin_c.pk,
        "@donor_agency": personas.donor_agency.pk,
        "@expert": personas.expert.pk,
        "@other_expert": make_expert(home_administration=personas.admin_b).pk,
    }
    data = {k: objects.get(str(v), v) for k, v in data.items()}
    viewer = personas.lender if user == "lender" else personas.users()[user]
    sign_in(client, viewer)
    before = _state()
    assert client.post(PAGE, data).status_code == status
    assert _state() == before


def test_an_empty_target_is_named_and_nothing_is_written(client, personas):
    sign_in(client, personas.secretariat)
    before = _state()
    response = client.post(PAGE, {"kind": FeedKind.MEMBER, "organisation": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<a href="#feed-member-organisation">Member administration: choose the administration'
        in page
    )
    response = client.post(PAGE, {"kind": "nonsense"})
    assert response.status_code == 400
    assert "Choose which calendar feed to create." in response.content.decode()
    assert _state() == before


def test_a_person_holds_a_bounded_number_of_feeds(client, personas, settings):
    settings.FEEDS_MAX_PER_OWNER = 2
    sign_in(client, personas.expert_user)
    for _i in range(2):
        client.post(PAGE, {"kind": FeedKind.EXPERT, "expert": personas.expert.pk})
    before = _state()
    response = client.post(PAGE, {"kind": FeedKind.EXPERT, "expert": personas.expert.pk})
    assert response.status_code == 400
    assert "the most one person may hold" in response.content.decode()
    assert _state() == before


def test_revoking_kills_the_address_and_only_the_owner_may(client, personas):
    w = build(personas)
    mine = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    sign_in(client, w.p.outsider)
    before = _state()
    assert client.post(reverse("feeds:feed_revoke", args=[mine.pk])).status_code == 404
    assert client.get(reverse("feeds:feed_revoke", args=[mine.pk])).status_code == 405
    assert _state() == before
    sign_in(client, w.p.member)
    before = _state()
    asked = client.post(reverse("feeds:feed_revoke", args=[mine.pk]))
    assert asked.status_code == 200 and "This cannot be undone" in asked.content.decode()
    assert _state() == before
    response = client.post(reverse("feeds:feed_revoke", args=[mine.pk]), {"confirmed": "yes"})
    assert response.status_code == 302
    assert fetch_raw(client, mine).status_code == 404
    assert mine.token not in client.get(PAGE).content.decode()


def test_a_dead_address_answers_404(client, personas):
    w = build(personas)
    f = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    assert client.get("/feeds/not-a-secret.ics").status_code == 404
    assert client.get(f"/feeds/{f.token[:-1]}x.ics").status_code == 404
    assert client.post(f"/feeds/{f.token}.ics").status_code == 405
    assert fetch_raw(client, f).status_code == 200
    # The owner leaves: deactivated, 404.
    w.p.member.is_active = False
    w.p.member.save(update_fields=["is_active"])
    assert fetch_raw(client, f).status_code == 404
    # The owner moves to another administration: the feed no longer follows theirs.
    w.p.member.is_active = True
    w.p.member.organisation = make_member("GH")
    w.p.member.save(update_fields=["is_active", "organisation"])
    assert fetch_raw(client, f).status_code == 404


def test_the_calendar_pages_link_to_the_feeds(client, personas):
    sign_in(client, personas.member)
    for name in ("calendars:calendar", "calendars:timeline"):
        assert 'href="/feeds/"' in client.get(reverse(name)).content.decode(), name


def test_the_page_in_french(client, personas):
    sign_in(client, personas.member)
    personas.member.language = "fr"
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Flux de calendrier" in response.content.decode()


def test_only_the_secretariat_searches_all_organisations(client, personas):
    sign_in(client, personas.member)
    page = client.get(PAGE).content.decode()
    assert 'data-lookup="/lookups/organisations/' not in page
    assert f'<option value="{personas.admin_a.pk}" selected>' in page  # its own, chosen
    sign_in(client, personas.secretariat)
    assert 'data-lookup="/lookups/organisations/' in client.get(PAGE).content.decode()


def test_an_unchanged_feed_answers_304_to_its_etag(client, personas):
    w = build(personas)
    f = feed(w.p.member, FeedKind.MEMBER, organisation_id=w.p.admin_a.pk)
    etag = fetch_raw(client, f)["ETag"]
    again = client.get(f"/feeds/{f.token}.ics", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    w.shared.title = "Moved"
    w.shared.save(update_fields=["title"])
    changed = client.get(f"/feeds/{f.token}.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
