"""Words for the demo: how topics read in titles, needs, reasons, reports."""

from __future__ import annotations

from typing import NamedTuple

# How each seeded topic reads inside a sentence.
TOPIC_PHRASES: dict[str, str] = {
    "rkc": "Revised Kyoto Convention implementation",
    "safe": "the SAFE Framework of Standards",
    "aeo": "the Authorized Economic Operator programme",
    "risk_management": "risk management and targeting",
    "valuation": "customs valuation controls",
    "hs_classification": "HS classification and advance rulings",
    "origin": "rules of origin verification",
    "post_clearance_audit": "post-clearance audit",
    "integrity": "integrity and anti-corruption",
    "time_release_study": "a Time Release Study",
    "hr_management": "competency-based human resource management",
    "strategic_planning": "strategic planning",
    "coordinated_border_management": "coordinated border management",
    "single_window": "the national single window",
    "e_commerce": "cross-border e-commerce",
    "ipr": "IPR border enforcement",
    "enforcement": "enforcement and seizure procedures",
    "data_analytics": "customs data analytics",
    "transit": "transit regimes and guarantees",
    "trade_facilitation": "WTO Trade Facilitation Agreement measures",
}

# Topics that belong together: an expert's skills and a request's topics come from one family.
TOPIC_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("rkc", "trade_facilitation", "time_release_study", "single_window", "transit"),
    ("aeo", "safe", "coordinated_border_management", "trade_facilitation", "risk_management"),
    ("valuation", "hs_classification", "origin", "post_clearance_audit"),
    ("risk_management", "enforcement", "ipr", "data_analytics", "e_commerce"),
    ("strategic_planning", "hr_management", "integrity", "rkc"),
)

MISSION_TITLES: dict[str, str] = {
    "diagnostic": "Diagnostic mission on {phrase}",
    "advisory": "Advisory support on {phrase}",
    "workshop": "{scope} workshop on {phrase}",
    "training": "Training of trainers in {phrase}",
    "follow_up": "Follow-up mission on {phrase}",
    "remote": "Remote coaching on {phrase}",
}

MISSION_OUTPUTS: tuple[str, ...] = (
    "Expected outputs: a gap analysis against international standards and a costed road map.",
    "Expected outputs: trained officers, a pool of national trainers and course material.",
    "Expected outputs: revised standard operating procedures and a monitoring plan.",
    "Expected outputs: a management briefing and an agreed action plan with owners and dates.",
)

REQUEST_TITLES: tuple[str, ...] = (
    "Support for {phrase}",
    "Assistance with {phrase}",
    "Capacity building in {phrase}",
    "Expert advice on {phrase}",
)

NEEDS_OPENINGS: tuple[str, ...] = (
    "Our administration is reforming {phrase} under its new strategic plan",
    "A recent internal audit found gaps in {phrase}",
    "The government has committed to regional targets that depend on {phrase}",
    "Staff turnover has left few officers trained in {phrase}",
    "Traders report long clearance times that we link to weaknesses in {phrase}",
)

NEEDS_ASKS: tuple[str, ...] = (
    "We ask for a diagnostic and a road map with priorities for the next two years.",
    "We need experts to train a core team of trainers who will then train the regions.",
    "We would like advice on procedures, legal basis and the IT changes they imply.",
    "We ask for help to draft standard operating procedures and measure their effect.",
    "We would welcome a peer review by administrations that have done this recently.",
)

DECLINE_REASONS: tuple[str, ...] = (
    "The request duplicates a regional workshop already planned for your administration; "
    "please join that mission instead.",
    "The needs are not specific enough to plan a mission. Please describe the current "
    "situation, the expected outcome and the units concerned, then submit again.",
    "This support is already funded through a bilateral programme with another partner; "
    "a second mission would overlap with it.",
    "The topic is outside the capacity-building mandate (it concerns procurement of equipment). "
    "Please contact the donor coordination desk.",
    "The preferred period is too close to plan a mission with released experts. Please "
    "submit again with a period at least three months ahead.",
)


class ObjectiveText(NamedTuple):
    level: str
    title: str
    indicator: str
    unit: str
    baseline: int
    target: int
    # Which of the demo's agreements (in the order agreements.py creates them) pursues it.
    agreement: int


OBJECTIVE_TEXTS: tuple[ObjectiveText, ...] = (
    ObjectiveText(
        "strategic",
        "Faster and more predictable clearance",
        "Average release time",
        "hours",
        72,
        24,
        0,
    ),
    ObjectiveText(
        "strategic",
        "A trusted trader programme that covers trade",
        "Share of trade by AEOs",
        "%",
        12,
        35,
        5,
    ),
    ObjectiveText(
        "tactical",
        "Risk-based controls at the main border posts",
        "Physical inspection rate",
        "%",
        45,
        15,
        2,
    ),
    ObjectiveText(
        "tactical",
        "Certified customs trainers in every region",
        "Certified trainers",
        "trainers",
        8,
        40,
        1,
    ),
    ObjectiveText(
        "operational",
        "Post-clearance audit unit at full strength",
        "Audits completed per year",
        "audits",
        60,
        180,
        3,
    ),
    ObjectiveText(
        "operational",
        "Single window connects the border agencies",
        "Agencies connected",
        "agencies",
        3,
        12,
        4,
    ),
)

REPORT_SUMMARIES: tuple[str, ...] = (
    "The mission met the management team and the units concerned, reviewed the procedures in "
    "force and observed clearance at two offices. The team ran a three-day workshop for 24 "
    "officers and agreed a road map with the administration.",
    "The experts delivered the training as planned to 18 officers, including six future "
    "trainers, and reviewed the draft standard operating procedures with the working group.",
)

REPORT_OUTCOMES: tuple[str, ...] = (
    "A road map with twelve actions, owners and dates was adopted by the Director General.",
    "Eighteen officers trained; six selected as national trainers; the procedures were revised.",
)

REPORT_RECOMMENDATIONS: tuple[str, ...] = (
    "Appoint a project lead, publish the road map, and plan a follow-up mission in six months.",
    "Run the national courses before the end of the year and share the material regionally.",
)

EVALUATION_COMMENTS: tuple[str, ...] = (
    "Very practical experts who understood our context. The road map is already in use.",
    "Useful training; we would have liked one more day for the practical exercises.",
    "Good preparation and clear recommendations. Interpretation could be better organised.",
)

UNAVAILABLE_REASONS: tuple[str, ...] = (
    "Annual leave",
    "National duties: budget period",
    "Training course",
    "Secondment to headquarters",
    "Parental leave",
    "",
)

DECLINE_INVITATION_REASONS: tuple[str, ...] = (
    "I am already committed to a national audit campaign on these dates.",
    "My director needs me during the budget period; please ask me again later in the year.",
    "A family matter keeps me at home that month. I would gladly join a later mission.",
)

CANCEL_REASONS: tuple[str, ...] = (
    "Cancelled at the beneficiary's request: general elections fall in the period.",
    "Cancelled: the need is now covered by a regional workshop.",
    "Cancelled: the venue is not available and no alternative could be found in time.",
)
