"""Tiny planning problems, written out in full so each test shows what it relies on."""

from __future__ import annotations

from typing import Any

TRAINER = "specialized_trainer"
ADVISER = "modernization_adviser"


def expert(eid: str, country: str = "DE", **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": eid,
        "country": country,
        "categories": [TRAINER],
        "languages": ["en"],
        "skills": {"customs_valuation": 3},
    }
    doc.update(extra)
    return doc


def slot(sid: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": sid, "category": TRAINER, "skills": {"customs_valuation": 2}}
    doc.update(extra)
    return doc


def mission(
    mid: str,
    start: str = "2027-03-01",
    end: str = "2027-03-05",
    slots: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": mid,
        "beneficiaries": ["MA"],
        "language": "en",
        "priority": 1,
        "start": start,
        "end": end,
        "slots": slots if slots is not None else [slot(f"{mid}-1")],
    }
    if "window" in extra:
        del doc["start"], doc["end"]
    doc.update(extra)
    return doc


def problem(
    experts: list[dict[str, Any]], missions: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "renfort-planning/1",
        "settings": {"travel_days": 1},
        "experts": experts,
        "missions": missions,
    }
    doc.update(extra)
    return doc


def staffed(plan: dict[str, Any]) -> dict[str, dict[str, str]]:
    """mission id -> {slot id: expert id} for the staffed missions of a plan."""
    return {
        m["id"]: {a["slot"]: a["expert"] for a in m["assignments"]}
        for m in plan["missions"]
        if m["staffed"]
    }


def entry(plan: dict[str, Any], mid: str) -> dict[str, Any]:
    return next(m for m in plan["missions"] if m["id"] == mid)
