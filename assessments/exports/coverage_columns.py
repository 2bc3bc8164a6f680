"""The work-up, the series and the coverage checklists as export columns (CSV and REDCap).

One list, so the wide CSV and the REDCap dictionary carry the same fields under the same
names; values come from `InjectionFacts.coverage` (coverage_facts.Coverage).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..models import Provocation, Purpose
from ..rules.coverage import CHECKLIST_STATUSES, MANOEUVRES, UNKNOWN, UNMET
from .rows import InjectionFacts

SERIES_RESULTS = (
    ("confirmed by comparative blocks", "Confirmed by comparative blocks"),
    ("not confirmed", "Not confirmed"),
    ("awaiting a confirming block", "Awaiting a confirming block"),
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, radio, yesno (REDCap's field types)
    label: str
    value: Callable[[Any], Any]  # InjectionFacts → the stored value
    choices: tuple[tuple[str, str], ...] = ()
    validation: str = ""


def work_up(facts: InjectionFacts, name: str, default: Any = None) -> Any:
    """The field `name` of the block's work-up, or `default` without one."""
    record = facts.coverage.work_up
    return default if record is None else getattr(record, name)


def provocation_of(name: str) -> Callable[[InjectionFacts], Any]:
    """The work-up's result of one manoeuvre, "" without a work-up."""
    return lambda f: work_up(f, name, "")


def items_with(facts: InjectionFacts, status: str) -> str:
    """ "CMS-L39402@1:provocation, CMS-L39402@1:image_guidance" """
    return ", ".join(
        f"{checklist.policy}:{item.code}"
        for checklist in facts.coverage.checklists
        for item in checklist.items
        if item.status == status
    )


def columns() -> list[Column]:
    found = [
        Column(
            "purpose",
            "radio",
            "Purpose of the block",
            lambda f: f.injection.purpose,
            tuple(Purpose.choices),
        ),
        Column(
            "confirms_injection",
            "text",
            "Confirms injection (record ID)",
            lambda f: f.injection.confirms_id,
            validation="integer",
        ),
        Column(
            "series_result",
            "radio",
            "Comparative blocks",
            lambda f: f.coverage.series or "",
            SERIES_RESULTS,
        ),
        Column(
            "work_up_date",
            "text",
            "Work-up date",
            lambda f: d.isoformat() if (d := work_up(f, "examined_on")) else "",
            validation="date_ymd",
        ),
        Column(
            "pain_over_si_joint",
            "yesno",
            "Pain primarily over the SI joint",
            lambda f: work_up(f, "pain_over_si_joint"),
        ),
        Column(
            "pain_months",
            "text",
            "Months of pain at the block",
            lambda f: f.coverage.facts.pain_months,
            validation="integer",
        ),
        Column(
            "usual_pain",
            "text",
            "Usual pain (0-10)",
            lambda f: work_up(f, "usual_pain"),
            validation="integer",
        ),
        *(
            Column(
                f"provocation_{name}",
                "radio",
                f"Provocation: {name.replace('_', ' ')}",
                provocation_of(name),
                tuple(Provocation.choices),
            )
            for name in MANOEUVRES
        ),
        Column(
            "conservative_weeks",
            "text",
            "Conservative care (weeks)",
            lambda f: work_up(f, "conservative_weeks"),
            validation="integer",
        ),
        Column(
            "active_rehab", "yesno", "Active rehabilitation", lambda f: work_up(f, "active_rehab")
        ),
        Column(
            "imaging_reviewed",
            "yesno",
            "Imaging reviewed",
            lambda f: work_up(f, "imaging_reviewed"),
        ),
        Column(
            "other_causes_excluded",
            "yesno",
            "Other causes excluded",
            lambda f: work_up(f, "other_causes_excluded"),
        ),
        Column("radiculopathy", "yesno", "Radiculopathy", lambda f: work_up(f, "radiculopathy")),
        Column(
            "retest_positive",
            "text",
            "Manoeuvres still positive after the block",
            lambda f: f.injection.retest_positive,
            validation="integer",
        ),
        Column(
            "retest_tested",
            "text",
            "Manoeuvres re-tested after the block",
            lambda f: f.injection.retest_tested,
            validation="integer",
        ),
        Column(
            "coverage_status",
            "radio",
            "Coverage checklists (the clinic's policies)",
            lambda f: f.coverage.status,
            tuple((status, status) for status in CHECKLIST_STATUSES),
        ),
        Column(
            "coverage_checklists",
            "text",
            "Checklists: policy=status",
            lambda f: "; ".join(f"{c.policy}={c.status}" for c in f.coverage.checklists),
        ),
        Column("coverage_unmet", "text", "Unmet items", lambda f: items_with(f, UNMET)),
        Column("coverage_unknown", "text", "Unknown items", lambda f: items_with(f, UNKNOWN)),
    ]
    return found
