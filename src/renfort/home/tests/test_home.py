import pytest
from django.urls import reverse

from renfort.accounts.models import Organisation, OrganisationKind, Role, User


@pytest.mark.django_db
def test_home_asks_anonymous_user_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_home_shows_role_of_signed_in_user(client):
    org = Organisation.objects.create(name="Secretariat", kind=OrganisationKind.SECRETARIAT)
    user = User.objects.create_user(
        "sec", password="pw", organisation=org, role=Role.SECRETARIAT_COORDINATOR
    )
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Secretariat coordinator" in response.content.decode()
