"""Reads of the expert pool that depend on who asks. Experts' personal data is shown only to
those who manage or lend them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from renfort.accounts.models import Role, User
from renfort.lib.json_lists import JSONListHas
from renfort.roster.models import Accreditation, Expert, Skill


def experts_visible_to(user: User) -> QuerySet[Expert]:
    """Secretariat: the whole pool. Regional coordinator: experts of their region's
    administrations. Member focal point: their administration's experts. Expert: themself.
    Donor focal point: none."""
    qs = Expert.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return qs
    if user.role == Role.EXPERT:
        return qs.filter(user=user)
    org = user.organisation
    if org is None:
        return qs.none()
    if user.role == Role.REGIONAL_COORDINATOR and org.region:
        return qs.filter(home_administration__region=org.region)
    if user.role == Role.MEMBER_FOCAL_POINT:
        return qs.filter(home_administration=org)
    return qs.none()


def expert_for_user(user: User, pk: int) -> Expert:
    try:
        return experts_visible_to(user).get(pk=pk)
    except Expert.DoesNotExist as exc:
        raise Http404("No such expert.") from exc


def shows_contact_details(user: User, expert: Expert) -> bool:
    """Whether the user sees the expert's e-mail: those who contact her about her work (the
    secretariat, which invites her; her home administration's focal points, her employer)
    and she herself. A regional coordinator sees her profile, not her contact details
    (docs/experts.md)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT_COORDINATOR:
        return True
    if user.role == Role.EXPERT:
        return expert.user_id == user.pk
    return (
        user.role == Role.MEMBER_FOCAL_POINT
        and user.organisation_id is not None
        and user.organisation_id == expert.home_administration_id
    )


def with_profile(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    """The experts with what a list row shows: home administration, skills, accreditations."""
    return experts.select_related("home_administration").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.select_related("topic")),
        Prefetch("accreditations", queryset=Accreditation.objects.select_related("topic")),
    )


def _list_has(column: str, value: object, *, exact: bool) -> Q | JSONListHas:
    """The experts whose JSON list ``column`` holds ``value``: as an element (``exact``), or
    as the quoted element in the list's text, whatever its case (works on SQLite and
    PostgreSQL)."""
    if exact:
        return JSONListHas(F(column), str(value))
    return Q(**{f"{column}__icontains": f'"{value}"'})


def experts_filtered(
    user: User, data: Mapping[str, Any], *, exact: bool = False
) -> QuerySet[Expert]:
    """The experts list (the pool page, its file, the API): the experts the user may see,
    narrowed by the filters of ``data`` (``q`` in the name, ``topic`` (a Topic) or
    ``topic_code`` (its code) at ``min_level`` or more, ``category``, ``language``,
    ``organisation`` (an id), ``release_status``; each optional), in the list's order.

    The pages trim ``q`` and find a category or language in the list's text, whatever its
    case; ``exact`` (the API) takes ``q`` as given and a category or language only as an
    element of the list."""
    experts = experts_visible_to(user)
    q = data.get("q") or ""
    if not exact:
        q = q.strip()
    if q:
        experts = experts.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q))
    level = data.get("min_level") or 1
    if data.get("topic"):
        skills = Skill.objects.filter(topic=data["topic"], level__gte=level)
        experts = experts.filter(pk__in=skills.values("expert_id"))
    if data.get("topic_code"):
        skills = Skill.objects.filter(topic__code=data["topic_code"], level__gte=level)
        experts = experts.filter(pk__in=skills.values("expert_id"))
    if data.get("category"):
        experts = experts.filter(_list_has("categories", data["category"], exact=exact))
    if data.get("language"):
        experts = experts.filter(_list_has("languages", data["language"], exact=exact))
    if data.get("organisation"):
        experts = experts.filter(home_administration_id=data["organisation"])
    if data.get("release_status"):
        experts = experts.filter(release_status=data["release_status"])
    return with_profile(experts).order_by("last_name", "first_name", "id")
