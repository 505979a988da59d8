"""A sample portfolio drawn from the situations pilots really end up in (demo and bench)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

FULL_RACI = ("incidents", "changes", "evaluation", "integration", "reporting")
SPONSOR = "U0SPONSOR"
DIGEST_CHANNEL = "C0SPONSORS"
# Who the sample people are: a name to show and the time zone Slack would report.
PEOPLE = {
    SPONSOR: ("Sam (sponsor)", "Europe/London"),
    "U0ANN": ("Ann", "Europe/Berlin"),
    "U0BEA": ("Bea", "America/New_York"),
    "U0CAL": ("Cal", "Europe/London"),
    "U0DEV": ("Dev", "Asia/Kolkata"),
    "U0EVE": ("Eve", "America/Los_Angeles"),
    "U0FAY": ("Fay", "Europe/Paris"),
    "U0GUS": ("Gus", "Australia/Sydney"),
}


@dataclass(frozen=True)
class SeedPilot:
    name: str
    owner: str
    fields: dict[str, str]
    baseline: float | None = None
    # One entry per simulated week: the reading the owner records, or None when they don't.
    weekly_readings: tuple[float | None, ...] = ()
    raci_accountable: str | None = None
    raci_areas: tuple[str, ...] = field(default=FULL_RACI)


# What a well-run pilot has in place beside its metric; each sample says how it differs.
_WELL_RUN = {
    "sponsor": f"<@{SPONSOR}>",
    "cadence": "weekly",
    "eval-size": "150",
    "eval-score": "96",
    "eval-bar": "95",
    "monitoring": "quality dashboard",
    "rollback": "yes",
    "cost-per-unit": "0.40",
    "value-per-unit": "6.50",
    "volume": "40000",
}
# A field a sample does not have at all (as against one with a value of its own).
_LEFT_OUT = ""


def _sample(
    name: str,
    owner: str,
    metric: tuple[str, str, str, str],
    workflow: str,
    baseline: float,
    weekly_readings: tuple[float | None, ...],
    differs: dict[str, str] | None = None,
) -> SeedPilot:
    """A well-run pilot owned (and every RACI area held Accountable) by `owner`, measuring
    `metric` (name, unit, which way is better, threshold) in `workflow`."""
    metric_name, unit, better, threshold = metric
    fields = {
        **_WELL_RUN,
        "metric": metric_name,
        "unit": unit,
        "better": better,
        "threshold": threshold,
        "workflow": workflow,
        **(differs or {}),
    }
    kept = {name: value for name, value in fields.items() if value != _LEFT_OUT}
    return SeedPilot(name, owner, kept, baseline, weekly_readings, raci_accountable=owner)


SAMPLE_PORTFOLIO: tuple[SeedPilot, ...] = (
    # A 30% reduction from the 14-minute baseline: Go once the readings get there.
    _sample("Support reply drafting", "U0ANN", ("handle time", "min", "lower", "9.8"), "Zendesk",
            14, (13.5, 12.8, 12.1, 11.0, 10.4, 9.9, 9.4, 9.0), {"decide-by": "2026-11-13"}),
    # Clears its threshold but scores below the eval bar.
    _sample("Legal intake triage", "U0BEA", ("triage accuracy", "%", "higher", "90"),
            "matter intake", 71, (84, 86, 88, 90, 91, 92, 92, 93),
            {"eval-score": "93", "decide-by": "2026-11-27"}),
    _sample("Contract summariser", "U0CAL", ("review time", "min", "lower", "20"),
            "contract portal", 35, (30, 27, 24, 21, 19, 18, 18, 17), {"rollback": "no"}),
    # Cheap at 100 invoices; at 100,000 a month the human review queue costs more.
    _sample("Invoice extraction", "U0DEV", ("cost per invoice", "USD", "lower", "1.50"),
            "accounts payable", 2.10, (1.90, 1.70, 1.55, 1.45, 1.40, 1.38, 1.35, 1.30),
            {"cost-per-unit": "0.42", "value-per-unit": "0.30", "volume": "100000"}),
    _sample("Sales email drafting", "U0EVE", ("reply rate", "%", "higher", "12"),
            "CRM sequences", 8, (9, 10, 11, 12, 12.5, 13, 13, 13.2), {"sponsor": _LEFT_OUT}),
    # One reading, then silence: Stalled.
    _sample("HR policy assistant", "U0FAY", ("tickets deflected", "%", "higher", "30"),
            "HR help desk", 0, (12, None, None, None, None, None, None, None)),
    _sample("Demand forecasting", "U0GUS", ("forecast error", "%", "lower", "8"),
            "replenishment planner", 14, (13, 12.5, 12.2, 12, 11.8, 11.9, 11.7, 11.6),
            {"decide-by": "2026-10-16"}),
)  # fmt: skip
