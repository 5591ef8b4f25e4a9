"""Writes about the expert pool: experts, their skills, availability and accreditation."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from renfort.accounts.models import Organisation, OrganisationKind, Role, User
from renfort.lib.audit import create_all
from renfort.lib.dates import out_of_range
from renfort.lib.limits import length_errors
from renfort.roster.models import (
    Accreditation,
    AccreditationStatus,
    Category,
    Expert,
    ReleaseStatus,
    Skill,
    Topic,
)

LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")
MAX_RELEASED_DAYS = 366


def _check_languages(languages: Sequence[str], errors: dict[str, str]) -> None:
    bad = [code for code in languages if not LANGUAGE_CODE.match(code or "")]
    if not languages:
        errors["languages"] = _("Languages: give at least one working language.")
    elif bad:
        errors["languages"] = _("Languages: %(codes)s is not an ISO 639-1 code such as fr.") % {
            "codes": ", ".join(bad)
        }


def _check_email(email: str, errors: dict[str, str]) -> None:
    if too_long := length_errors(Expert, email=email):
        errors.update(too_long)
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Email: %(email)s is not an email address.") % {"email": email}


def _check_skills(skills: Mapping[str, int], errors: dict[str, str]) -> dict[str, Topic]:
    topics = {t.code: t for t in Topic.objects.filter(code__in=list(skills))}
    unknown = sorted(set(skills) - set(topics))
    bad_levels = sorted(code for code, level in skills.items() if not 1 <= int(level) <= 4)
    if unknown:
        errors["skills"] = _("Skills: unknown topic %(codes)s.") % {"codes": ", ".join(unknown)}
    elif bad_levels:
        errors["skills"] = _("Skills: the level of %(codes)s must be between 1 and 4.") % {
            "codes": ", ".join(bad_levels)
        }
    return topics


def _write_skills(expert: Expert, skills: Mapping[str, int], topics: Mapping[str, Topic]) -> None:
    """Make the expert's skills ``skills``: a changed level is saved on its row, so the field
    history shows the level before and after (docs/audit.md)."""
    wanted = {topics[code].pk: int(level) for code, level in skills.items()}
    current = {s.topic_id: s for s in expert.skills.all()}
    for topic_id, skill in current.items():
        if topic_id not in wanted:
            skill.delete()
        elif skill.level != wanted[topic_id]:
            skill.level = wanted[topic_id]
            skill.save(update_fields=["level"])
    create_all(
        Skill,
        (
            Skill(expert=expert, topic_id=topic_id, level=level)
            for topic_id, level in wanted.items()
            if topic_id not in current
        ),
    )


@transaction.atomic
def expert_create(
    *,
    home_administration: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    categories: Sequence[str],
    languages: Sequence[str],
    released_days_per_year: int = 30,
    skills: Mapping[str, int] | None = None,
    user: User | None = None,
) -> Expert:
    """Add an expert to the pool, lent by ``home_administration`` (a member administration).

    ``skills`` maps topic codes to levels 1-4. The release starts pending: the home
    administration grants it with ``expert_release_set``.
    """
    skills = dict(skills or {})
    categories = list(dict.fromkeys(categories))
    languages = list(dict.fromkeys(languages))
    errors: dict[str, str] = {}
    if home_administration.kind != OrganisationKind.MEMBER_ADMINISTRATION:
        errors["home_administration"] = _(
            "Home administration: %(name)s is not a member administration."
        ) % {"name": home_administration.name}
    if not first_name.strip():
        errors["first_name"] = _("First name: required.")
    if not last_name.strip():
        errors["last_name"] = _("Last name: required.")
    for key, message in length_errors(
        Expert, first_name=first_name.strip(), last_name=last_name.strip()
    ).items():
        errors.setdefault(key, message)
    _check_email(email, errors)
    unknown = [c for c in categories if c not in Category.values]
    if not categories:
        errors["categories"] = _("Categories: choose at least one category.")
    elif unknown:
        errors["categories"] = _("Categories: %(codes)s is not an expert category.") % {
            "codes": ", ".join(unknown)
        }
    _check_languages(languages, errors)
    if not 0 <= released_days_per_year <= MAX_RELEASED_DAYS:
        errors["released_days_per_year"] = _(
            "Released days per year: %(days)s is not between 0 and 366."
        ) % {"days": released_days_per_year}
    topics = _check_skills(skills, errors)
    if user is not None:
        if user.role != Role.EXPERT:
            errors["user"] = _("User: %(user)s does not have the expert role.") % {"user": user}
        elif Expert.objects.filter(user=user).exists():
            errors["user"] = _("User: %(user)s already has an expert profile.") % {"user": user}
    if errors:
        raise ValidationError(errors)
    expert = Expert.objects.create(
        home_administration=home_administration,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        categories=categories,
        languages=languages,
        released_days_per_year=released_days_per_year,
        user=user,
    )
    _write_skills(expert, skills, topics)
    return expert


@transaction.atomic
def expert_update_profile(
    *,
    expert: Expert,
    languages: Sequence[str] | None = None,
    email: str | None = None,
    skills: Mapping[str, int] | None = None,
) -> Expert:
    """Change what the expert keeps up to date themself; ``None`` leaves a field as it is.
    ``skills`` replaces the whole set of topic levels."""
    errors: dict[str, str] = {}
    if languages is not None:
        languages = list(dict.fromkeys(languages))
        _check_languages(languages, errors)
    if email is not None:
        _check_email(email, errors)
    topics = _check_skills(skills, errors) if skills is not None else {}
    if errors:
        raise ValidationError(errors)
    fields = []
    if languages is not None:
        expert.languages = languages
        fields.append("languages")
    if email is not None:
        expert.email = email
        fields.append("email")
    if fields:
        expert.save(update_fields=fields)
    if skills is not None:
        _write_skills(expert, skills, topics)
    return expert


@transaction.atomic
def accreditation_add(
    *,
    expert: Expert,
    topic: Topic,
    status: str,
    granted_on: datetime.date,
    expires_on: datetime.date | None = None,
) -> Accreditation:
    """Record an accreditation (pre-accredited, accredited, recognised) in a topic."""
    errors: dict[str, str] = {}
    if status not in AccreditationStatus.values:
        errors["status"] = _(
            "Status: %(status)s is not pre-accredited, accredited or recognised."
        ) % {"status": status}
    dates = out_of_range(
        granted_on=(_("Granted on"), granted_on), expires_on=(_("Expires on"), expires_on)
    )
    errors.update(dates)
    if not dates and expires_on is not None and expires_on < granted_on:
        errors["expires_on"] = _(
            "Expires on: %(expires)s is before the grant date %(granted)s."
        ) % {
            "expires": expires_on,
            "granted": granted_on,
        }
    if errors:
        raise ValidationError(errors)
    return Accreditation.objects.create(
        expert=expert, topic=topic, status=status, granted_on=granted_on, expires_on=expires_on
    )


@transaction.atomic
def expert_release_set(*, expert: Expert, status: str, by: User) -> Expert:
    """The home administration grants (or refuses) the expert's release to the pool.

    ``by`` must be a member focal point of the expert's home administration.
    """
    if status not in ReleaseStatus.values:
        raise ValidationError(
            {
                "status": _("Release: %(status)s is not pending, granted or refused.")
                % {"status": status}
            }
        )
    if by.role != Role.MEMBER_FOCAL_POINT or by.organisation_id != expert.home_administration_id:
        raise ValidationError(
            _(
                "Release: only a member focal point of %(home)s, the home administration of "
                "%(expert)s, can decide it."
            )
            % {"home": expert.home_administration.name, "expert": expert}
        )
    expert.release_status = status
    expert.save(update_fields=["release_status"])
    return expert
