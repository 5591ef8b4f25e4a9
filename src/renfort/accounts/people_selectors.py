"""The People page's list: who may open it, and its search of the accounts the user sees
(``accounts.people``). The page and its file (``exports.lists.people``) read it alike."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from renfort.accounts.models import Role, User
from renfort.accounts.people import accounts_visible_to

PEOPLE_ROLES = (Role.SECRETARIAT_COORDINATOR, Role.MEMBER_FOCAL_POINT, Role.DONOR_FOCAL_POINT)
# The search: at most this many characters, and this many words.
SEARCH_MAX = 100
SEARCH_WORDS = 8


def people_search(raw: str | None) -> str:
    """The search as the page reads ``q``: trimmed, cut to ``SEARCH_MAX`` characters."""
    return (raw or "").strip()[:SEARCH_MAX]


def accounts_found(user: User, q: str) -> QuerySet[User]:
    """The accounts ``user`` sees, by name, with each word of the search ``q`` (the first
    ``SEARCH_WORDS``) in a name, the username, the e-mail address or the organisation."""
    accounts = accounts_visible_to(user)
    for word in q.split()[:SEARCH_WORDS]:
        accounts = accounts.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return accounts
