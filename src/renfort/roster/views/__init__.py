"""The expert pool's pages: lending administrations see their experts and decide releases
(``pool``); the secretariat, regions and lenders read an expert's page (``expert``); experts
keep their profile and availability and answer invitations (``own``)."""

from renfort.roster.views.expert import expert_detail
from renfort.roster.views.own import (
    assignment_withdraw,
    invitation_answer,
    invitations,
    my_missions,
    my_profile,
    unavailability_add,
    unavailability_remove,
)
from renfort.roster.views.pool import expert_list, expert_release, release_decide, releases

__all__ = [
    "assignment_withdraw",
    "expert_detail",
    "expert_list",
    "expert_release",
    "invitation_answer",
    "invitations",
    "my_missions",
    "my_profile",
    "release_decide",
    "releases",
    "unavailability_add",
    "unavailability_remove",
]
