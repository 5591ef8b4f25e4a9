"""Forms of the People page: inviting someone, and the invitee choosing a password.

The choices follow ``accounts.invitations.INVITATION_RULES``: an inviter sees only the roles
it may give and the organisations it may invite into; the service checks both again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from renfort.accounts.invitation_models import EMAIL_MAX, NAME_MAX, Invitation
from renfort.accounts.invitations import INVITATION_RULES, OWN, roles_invitable_by
from renfort.accounts.models import Organisation, Role, User
from renfort.lib.forms import NamedErrorsForm
from renfort.lib.widgets import SearchableSelect


def organisations_invitable_into(by: User) -> QuerySet[Organisation]:
    """The organisations ``by`` may invite someone into, with one role or another."""
    rules = INVITATION_RULES.get(by.role, {}) if by.is_active else {}
    condition = Q(pk__in=[])
    for target in rules.values():
        if target == OWN:
            condition |= Q(pk=by.organisation_id)
        else:
            condition |= Q(kind=target)
    return Organisation.objects.filter(condition).order_by("name", "pk")


def experts_invitable_by(by: User) -> QuerySet[Any]:
    """The expert records ``by`` may give a login: its administration's, without one yet.
    (accounts sits below roster: the model is read from the invitation's relation.)"""
    model = Invitation._meta.get_field("expert").related_model
    assert isinstance(model, type)
    manager = model._default_manager
    if Role.EXPERT not in roles_invitable_by(by) or by.organisation_id is None:
        return manager.none()
    return manager.filter(home_administration_id=by.organisation_id, user__isnull=True).order_by(
        "last_name", "first_name", "pk"
    )


FROM_RECORD = _("For an expert, leave it blank to use their record's.")


class InviteForm(NamedErrorsForm):
    """Who to invite, with which role, into which organisation."""

    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    expert = forms.ModelChoiceField(
        label=_("Expert record"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "For an expert: one of your administration's experts who has no login yet. Their "
            "names and e-mail address fill the fields left blank."
        ),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        required=False,
        help_text=_(
            "The invitation goes there; it becomes the person's sign-in name. For an expert, "
            "leave it blank to use the address of their record."
        ),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=NAME_MAX, required=False, help_text=FROM_RECORD
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=NAME_MAX, required=False, help_text=FROM_RECORD
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        required=False,
        help_text=_(
            "The person's language, if you know it; otherwise the expert record's, or yours."
        ),
    )
    stored_in = {
        "email": "accounts.Invitation.email",
        "first_name": "accounts.Invitation.first_name",
        "last_name": "accounts.Invitation.last_name",
    }

    def __init__(self, *args: Any, by: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = roles_invitable_by(by)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r, Role(r).label) for r in roles]
        organisations = organisations_invitable_into(by)
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = organisations
        org_field.widget = SearchableSelect("organisations")
        org_field.widget.choices = org_field.choices
        if by.organisation_id is not None and organisations.filter(pk=by.organisation_id).exists():
            org_field.initial = by.organisation_id
        expert_field = self.fields["expert"]
        assert isinstance(expert_field, forms.ModelChoiceField)
        if Role.EXPERT in roles:
            expert_field.queryset = experts_invitable_by(by)
            expert_field.widget = SearchableSelect(
                "experts", params={"no_login": "1"}, threshold=30
            )
            expert_field.widget.choices = expert_field.choices
        else:
            del self.fields["expert"]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("Not known")), *settings.LANGUAGES]
