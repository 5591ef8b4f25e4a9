"""The fixture world of the permission matrix (``test_permission_matrix.py``).

One object of each kind, all belonging to the "own" parties: Senegal (``member``, the
beneficiary, which also lends the ``expert`` concerned), the West & Central Africa office
(``regional``) and the donor agency that funds the work (``donor``). The ``*_other`` viewers
hold the same role in another organisation: Kenya's focal point, the East & Southern Africa
coordinator, another donor agency's focal point, and an expert lent by France who is on none
of these missions. Beside them, Kenya's own request, mission and agreement (funded by a third
agency, and paying part of Senegal's planned mission too), and a proposal of Senegal's expert
for Kenya's mission.

Titles carry the word ``SECRET`` so the page tests can look for them (``SECRETS``).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from renfort.accounts.invitation_models import Invitation
from renfort.accounts.models import Notification, OrganisationKind, Region, Role, User
from renfort.agreements.models import (
    AgreementDocument,
    BudgetLine,
    MissionFunding,
    PartyRole,
)
from renfort.api.tokens import token_create
from renfort.assistance.models import Consultation, RequestStatus
from renfort.exports.models import Export, ExportStatus
from renfort.missions.models import (
    AssignmentStatus,
    MissionStatus,
    SlotExclusion,
)
from renfort.missions.offer_models import SlotOffer
from renfort.planning.models import PlannerRun, PlannerRunStatus
from renfort.results.models import (
    DeliveryPlan,
    Evaluation,
    FollowUpAction,
    Indicator,
    MissionDelivery,
    MissionReport,
    Objective,
)
from renfort.roster.models import Category, ReleaseStatus, Unavailability
from renfort.testing import (
    make_agreement,
    make_assignment,
    make_expert,
    make_mission,
    make_organisation,
    make_personas,
    make_request,
    make_slot,
    make_user,
    next_year,
    persona_mission,
)

VIEWERS = (
    "anonymous",
    "secretariat",
    "regional",
    "regional_other",
    "member",
    "member_other",
    "donor",
    "donor_other",
    "expert",
    "expert_other",
)


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    p = make_personas()
    today = datetime.date.today()
    other_office = make_organisation(
        name="Regional office ESA",
        kind=OrganisationKind.REGIONAL_OFFICE,
        region=Region.EAST_SOUTHERN_AFRICA,
        languages=("en",),
    )
    other_donor = make_organisation(
        name="Other donor agency", kind=OrganisationKind.DONOR_AGENCY, country="NO"
    )
    third_donor = make_organisation(
        name="Third donor agency", kind=OrganisationKind.DONOR_AGENCY, country="DK"
    )
    expert_login = make_user(Role.EXPERT, p.admin_a, username="expert_own")
    expert = make_expert(
        home_administration=p.admin_a,
        first_name="Moussa",
        last_name="Diop",
        categories=(Category.TECHNICAL_OPERATIONAL_EXPERT,),
        skills={"risk_management": 3},
        user=expert_login,
        email="moussa.diop@example.org",
    )
    users: dict[str, User | None] = {
        "anonymous": None,
        "secretariat": p.secretariat,
        "regional": p.regional,
        "regional_other": make_user(
            Role.REGIONAL_COORDINATOR, other_office, username="regional_other"
        ),
        "member": p.member,
        "member_other": p.outsider,
        "donor": p.donor,
        "donor_other": make_user(Role.DONOR_FOCAL_POINT, other_donor, username="donor_other"),
        "expert": expert_login,
        "expert_other": p.expert_user,
    }
    o: dict[str, Any] = {
        "expert": expert,
        "expert_login": expert_login,
        "member_org": p.admin_a,
        "donor_org": p.donor_agency,
    }
    # An open invitation Senegal's focal point sent to a second expert.
    o["invitation"] = Invitation.objects.create(
        invited_by=p.member,
        organisation=p.admin_a,
        role=Role.EXPERT,
        email="awa.ndiaye@example.org",
        first_name="Awa",
        last_name="Ndiaye",
        token_hash=hashlib.sha256(b"permission-world").hexdigest(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )

    # A request waiting for appraisal (edit, withdraw, appraise, consult) ...
    o["open_request"] = make_request(
        administrations=[p.admin_a],
        focal_point=p.member,
        status=RequestStatus.SUBMITTED,
        title="SECRET open request",
    )
    o["consultation"] = Consultation.objects.create(
        request=o["open_request"],
        region=Region.WEST_CENTRAL_AFRICA,
        question="Do you support it?",
        asked_by=p.secretariat,
    )
    # ... and the accepted one behind the mission being planned.
    o["request"] = make_request(
        administrations=[p.admin_a], focal_point=p.member, title="SECRET accepted request"
    )
    mission = persona_mission(
        p,
        requests=[o["request"]],
        status=MissionStatus.PLANNED,
        title="SECRET planned mission",
    )
    o["mission"] = mission
    o["agreement"] = mission.agreements.get()  # before the Kenyan agreement joins it
    o["agreement"].title = "SECRET agreement"
    o["agreement"].save(update_fields=["title"])
    o["slot"] = mission.slots.get()
    # Kenya's mission, funded by a third agency, whose agreement also pays part of the planned
    # mission: the pages of the planned mission name an agreement most viewers may not open,
    # and that agreement's page names a mission Kenya's viewers may not open.
    kenya_request = make_request(
        administrations=[p.admin_c], focal_point=p.outsider, title="SECRET Kenya request"
    )
    o["kenya_request"] = kenya_request
    o["kenya_mission"] = make_mission(
        requests=[kenya_request], status=MissionStatus.PLANNED, title="SECRET Kenya mission"
    )
    o["kenya_agreement"] = make_agreement(
        parties=[(third_donor, PartyRole.FUNDING), (p.admin_c, PartyRole.BENEFICIARY)],
        missions=[o["kenya_mission"], mission],
        title="SECRET Kenya agreement",
    )
    # Proposals are the secretariat's working state, shown to nobody else: Senegal's expert
    # for Kenya's mission, and an expert of France for the planned mission's open slot.
    make_assignment(o["kenya_mission"].slots.get(), expert, status=AssignmentStatus.PROPOSED)
    o["proposed_expert"] = make_expert(
        home_administration=p.admin_b, first_name="Yara", last_name="SECRET proposed expert"
    )
    o["assignment"] = make_assignment(
        o["slot"], expert, status=AssignmentStatus.INVITED, release_status=ReleaseStatus.PENDING
    )
    o["open_slot"] = make_slot(mission, Category.TECHNICAL_OPERATIONAL_EXPERT)
    make_assignment(
        make_slot(mission, Category.TECHNICAL_OPERATIONAL_EXPERT),
        o["proposed_expert"],
        status=AssignmentStatus.PROPOSED,
    )
    o["offer"] = SlotOffer.objects.create(
        slot=o["open_slot"], expert=expert, organisation=p.admin_a, by=p.member
    )
    o["exclusion"] = SlotExclusion.objects.create(
        slot=o["open_slot"], expert=p.expert, by=p.secretariat
    )
    o["unavailability"] = Unavailability.objects.create(
        expert=expert, start=next_year(8, 1), end=next_year(8, 5)
    )
    o["notification"] = Notification.objects.create(
        recipient=p.member, subject="SECRET notice", body="For the member only."
    )
    o["run"] = PlannerRun.objects.create(created_by=p.secretariat, status=PlannerRunStatus.QUEUED)
    o["run"].missions.set([mission])

    line = BudgetLine.objects.create(agreement=o["agreement"], name="Experts", amount=5000)
    o["budget_line"] = line
    o["funding"] = MissionFunding.objects.get(agreement=o["agreement"], mission=mission)
    o["funding"].budget_line = line
    o["funding"].amount = 1000
    o["funding"].save(update_fields=["budget_line", "amount"])
    content = b"%PDF-1.4\n%%EOF\n"
    document = AgreementDocument(
        agreement=o["agreement"],
        kind="signed",
        title="Signed",
        original_name="signed.pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=p.secretariat,
    )
    document.file.save("signed.pdf", ContentFile(content), save=False)
    document.save()
    o["document"] = document

    # A confirmed mission the expert accepted: their mission pack and invitation letter.
    confirmed = persona_mission(
        p,
        status=MissionStatus.CONFIRMED,
        start=next_year(5, 4),
        title="SECRET confirmed mission",
    )
    o["confirmed_mission"] = confirmed
    o["accepted_assignment"] = make_assignment(
        confirmed.slots.get(),
        expert,
        status=AssignmentStatus.ACCEPTED,
        release_status=ReleaseStatus.GRANTED,
    )

    # A delivered mission: the expert's report, its follow-up, the beneficiary's evaluation.
    start = today - datetime.timedelta(days=40)
    done = persona_mission(
        p,
        status=MissionStatus.REPORTED,
        start=start,
        end=start + datetime.timedelta(days=4),
        title="SECRET delivered mission",
    )
    o["delivered_mission"] = done
    make_assignment(
        done.slots.get(),
        expert,
        status=AssignmentStatus.COMPLETED,
        release_status=ReleaseStatus.GRANTED,
    )
    MissionDelivery.objects.create(
        mission=done, actual_start=start, actual_end=start + datetime.timedelta(days=4)
    )
    o["report"] = MissionReport.objects.create(
        mission=done, author=expert, filed_by=expert_login, activities="Trained officers."
    )
    o["follow_up"] = FollowUpAction.objects.create(
        report=o["report"],
        mission=done,
        description="Update the risk profiles.",
        owner=p.admin_a,
        due_on=today + datetime.timedelta(days=60),
    )
    Evaluation.objects.create(mission=done, organisation=p.admin_a, by=p.member, rating=4)

    objective = Objective.objects.create(title="SECRET objective", level="operational")
    objective.requests.set([o["request"]])
    objective.missions.set([mission])
    o["objective"] = objective
    o["indicator"] = Indicator.objects.create(
        objective=objective,
        name="SECRET indicator",
        baseline=10,
        target=50,
        baseline_date=today.replace(month=1, day=1),
        target_date=next_year(12, 31),
    )
    o["delivery_plan"] = DeliveryPlan.objects.create(
        year=next_year().year, created_by=p.secretariat
    )
    # A file the secretariat asked for, prepared in the background: theirs alone.
    o["export"] = Export(
        kind="iati",
        title="SECRET export",
        requested_by=p.secretariat,
        status=ExportStatus.DONE,
        name="renfort-iati.xml",
        content_type="application/xml",
    )
    o["export"].file.save("permission-world-iati.xml", ContentFile(b"<x/>"), save=False)
    o["export"].save()
    # A personal API token of Senegal's focal point: theirs alone to revoke.
    o["api_token"] = token_create(
        owner=p.member, name="Roster sync", two_factor_verified=True
    ).token
    return World(users=users, objects=o)


# The titles of the world's objects and the page of each: a viewer who may not open the page
# must find the title on none of the pages they may open.
SECRETS = {
    "SECRET open request": ("assistance:request_detail", "pk=@open_request"),
    "SECRET accepted request": ("assistance:request_detail", "pk=@request"),
    "SECRET planned mission": ("missions:mission_detail", "pk=@mission"),
    "SECRET confirmed mission": ("missions:mission_detail", "pk=@confirmed_mission"),
    "SECRET delivered mission": ("missions:mission_detail", "pk=@delivered_mission"),
    "SECRET agreement": ("agreements:agreement_detail", "pk=@agreement"),
    "SECRET Kenya request": ("assistance:request_detail", "pk=@kenya_request"),
    "SECRET Kenya mission": ("missions:mission_detail", "pk=@kenya_mission"),
    "SECRET Kenya agreement": ("agreements:agreement_detail", "pk=@kenya_agreement"),
    # Only the secretariat may open France's expert (the France focal point is no viewer).
    "SECRET proposed expert": ("roster:expert_detail", "pk=@proposed_expert"),
    "SECRET objective": ("results:objective_detail", "pk=@objective"),
    "SECRET indicator": ("results:indicator_detail", "pk=@indicator"),
    "SECRET export": ("exports:export_detail", "pk=@export"),
}
