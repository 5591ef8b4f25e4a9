"""Who may not have a list's file gets what the list page gives them (sign in, 403) and
writes nothing; the background build runs as the person who asked, is safe to run twice, and
fails with a status, never a traceback, when that person may no longer see the list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from renfort.accounts.models import Role, User
from renfort.exports.building import export_build
from renfort.exports.models import Export, ExportStatus
from renfort.exports.services import export_request
from renfort.exports.tests.list_world import OTHER, build, read
from renfort.testing import Personas, table_state

pytestmark = pytest.mark.django_db


def _url(name: str, fmt: str = "csv", query: str = "") -> str:
    return reverse(f"exports:{name}_file", kwargs={"fmt": fmt}) + (f"?{query}" if query else "")


def _refused(client: Client, url: str, status: int) -> None:
    before = table_state()
    exports = Export.objects.count()
    assert client.get(url).status_code == status
    assert client.post(url).status_code == status
    assert table_state() == before and Export.objects.count() == exports


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("expert_user", "requests"),
        ("expert_user", "experts"),
        ("expert_user", "agreements"),
        ("expert_user", "objectives"),
        ("expert_user", "people"),
        ("donor", "experts"),
        ("regional", "people"),
        ("member", "appraisal"),
        ("secretariat", "my_missions"),
    ],
)
def test_a_role_the_list_is_not_for_gets_403(
    client: Client, personas: Personas, who: str, name: str
) -> None:
    client.force_login(getattr(personas, who))
    _refused(client, _url(name), 403)


def test_anonymous_is_sent_to_sign_in(client: Client, personas: Personas) -> None:
    before = table_state()
    for name in ("missions", "my_missions", "inbox"):
        response = client.get(_url(name))
        assert response.status_code == 302 and "login" in response["Location"]
        assert client.post(_url(name)).status_code == 302
    assert table_state() == before and not Export.objects.exists()


def test_an_unknown_format_is_not_found(client: Client, personas: Personas) -> None:
    client.force_login(personas.secretariat)
    _refused(client, _url("missions", "pdf"), 404)
    client.force_login(personas.expert_user)
    _refused(client, _url("my_missions", "xls"), 404)


def test_a_direct_list_is_read_only(client: Client, personas: Personas) -> None:
    client.force_login(personas.expert_user)
    before = table_state()
    assert client.post(_url("my_missions")).status_code == 405
    assert table_state() == before and not Export.objects.exists()


def test_an_expert_without_a_profile_gets_404(client: Client, personas: Personas) -> None:
    personas.expert.user = None
    personas.expert.save(update_fields=["user"])
    client.force_login(personas.expert_user)
    assert client.get(_url("my_missions")).status_code == 404


def test_the_page_offers_the_file_with_its_filters(client: Client, personas: Personas) -> None:
    client.force_login(personas.secretariat)
    page = client.get(reverse("missions:mission_list"), {"status": "planned", "page": "1"})
    assert f'href="{_url("missions", "csv", "status=planned")}"' in page.content.decode()
    assert f'href="{_url("missions", "xlsx", "status=planned")}"' in page.content.decode()


def test_the_prepare_page_describes_the_file(client: Client, personas: Personas) -> None:
    client.force_login(personas.member)
    page = client.get(_url("requests", "xlsx", "status=accepted")).content.decode()
    assert "Requests" in page and "XLSX" in page and "Prepare the file" in page


def _ask(user: User, name: str, **params: str) -> Export:
    return export_request(
        user=user,
        kind=f"list.{name}",
        params={"fmt": "csv", "query": "", **params},
        title=name,
        language="en",
    )


def test_the_build_runs_as_the_person_who_asked(personas: Personas) -> None:
    build(personas)
    export = _ask(personas.member, "missions")
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    rows = read(export.file.read(), "csv")
    assert len(rows) > 1 and OTHER not in str(rows)


def test_a_build_is_safe_to_run_twice(personas: Personas) -> None:
    build(personas)
    export = _ask(personas.member, "requests", query="status=accepted")
    export.refresh_from_db()
    content = export.file.read()
    before = table_state(), list(Export.objects.values())
    assert export_build(export_id=export.pk) == ExportStatus.DONE
    assert (table_state(), list(Export.objects.values())) == before
    export.refresh_from_db()
    assert export.file.read() == content


def test_a_right_withdrawn_before_the_build_fails_the_export(personas: Personas) -> None:
    build(personas)
    export = Export.objects.create(
        kind="list.requests", params={"fmt": "csv", "query": ""}, requested_by=personas.member
    )
    User.objects.filter(pk=personas.member.pk).update(role=Role.EXPERT)
    assert export_build(export_id=export.pk) == ExportStatus.FAILED
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and not export.file


@pytest.mark.parametrize("params", [{"fmt": "pdf"}, {"query": "status=accepted"}])
def test_bad_parameters_fail_the_export(personas: Personas, params: dict[str, str]) -> None:
    export = Export.objects.create(
        kind="list.missions", params=params, requested_by=personas.member
    )
    assert export_build(export_id=export.pk) == ExportStatus.FAILED
