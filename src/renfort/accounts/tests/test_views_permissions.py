import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.accounts.permissions import has_role, role_required


@role_required(Role.SECRETARIAT_COORDINATOR, Role.REGIONAL_COORDINATOR)
def coordinators_only(request):
    return HttpResponse("ok")


def _user(username: str, role: str) -> User:
    org = Organisation.objects.create(name=f"Org {username}", kind=OrganisationKind.SECRETARIAT)
    return User.objects.create_user(username, password="pw", organisation=org, role=role)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/somewhere/?x=1")
    request.user = AnonymousUser()
    response = coordinators_only(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/somewhere/" in response["Location"]


@pytest.mark.django_db
def test_wrong_role_is_refused():
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().get("/somewhere/")
    request.user = _user("exp", Role.EXPERT)
    with pytest.raises(PermissionDenied):
        coordinators_only(request)


@pytest.mark.django_db
def test_allowed_role_passes():
    request = RequestFactory().get("/somewhere/")
    request.user = _user("reg", Role.REGIONAL_COORDINATOR)
    assert coordinators_only(request).content == b"ok"
    assert has_role(request.user, Role.REGIONAL_COORDINATOR)
    assert not has_role(request.user, Role.EXPERT)


def test_role_required_needs_a_role():
    with pytest.raises(ValueError):
        role_required()


@pytest.mark.django_db
def test_403_and_404_pages_extend_base(rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = _user("sec", Role.SECRETARIAT_COORDINATOR)
    for name, text in (("403.html", "Not allowed"), ("404.html", "Not found")):
        html = render_to_string(name, request=request)
        assert text in html
        assert 'class="brand"' in html


@pytest.mark.django_db
def test_anonymous_htmx_request_redirects_the_whole_page():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().post(
        "/fragment/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/missions/3/",
    )
    request.user = AnonymousUser()
    response = coordinators_only(request)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert "next=http%3A//testserver/missions/3/" in response["HX-Redirect"]
