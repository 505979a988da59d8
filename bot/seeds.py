"""A sample portfolio drawn from the situations pilots really end up in (demo and bench)."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def _ready(sponsor: str = SPONSOR) -> dict[str, str]:
    """What a well-run pilot has in place beside its metric."""
    return {
        "sponsor": f"<@{sponsor}>",
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


SAMPLE_PORTFOLIO: tuple[SeedPilot, ...] = (
    SeedPilot(
        name="Support reply drafting",
        owner="U0ANN",
        fields={
            **_ready(),
            "metric": "handle time",
            "unit": "min",
            "better": "lower",
            # A 30% reduction from the 14-minute baseline.
            "threshold": "9.8",
            "workflow": "Zendesk",
            "decide-by": "2026-11-13",
        },
        baseline=14,
        weekly_readings=(13.5, 12.8, 12.1, 11.0, 10.4, 9.9, 9.4, 9.0),
        raci_accountable="U0ANN",
    ),
    SeedPilot(
        name="Legal intake triage",
        owner="U0BEA",
        fields={
            **_ready(),
            "metric": "triage accuracy",
            "unit": "%",
            "better": "higher",
            "threshold": "90",
            "workflow": "matter intake",
            "eval-size": "150",
            "eval-score": "93",
            "eval-bar": "95",
            "decide-by": "2026-11-27",
        },
        baseline=71,
        weekly_readings=(84, 86, 88, 90, 91, 92, 92, 93),
        raci_accountable="U0BEA",
    ),
    SeedPilot(
        name="Contract summariser",
        owner="U0CAL",
        fields={
            **_ready(),
            "metric": "review time",
            "unit": "min",
            "better": "lower",
            "threshold": "20",
            "workflow": "contract portal",
            "rollback": "no",
        },
        baseline=35,
        weekly_readings=(30, 27, 24, 21, 19, 18, 18, 17),
        raci_accountable="U0CAL",
    ),
    SeedPilot(
        name="Invoice extraction",
        owner="U0DEV",
        fields={
            **_ready(),
            "metric": "cost per invoice",
            "unit": "USD",
            "better": "lower",
            "threshold": "1.50",
            "workflow": "accounts payable",
            # Cheap at 100 invoices; at 100,000 a month the human review queue costs more.
            "cost-per-unit": "0.42",
            "value-per-unit": "0.30",
            "volume": "100000",
        },
        baseline=2.10,
        weekly_readings=(1.90, 1.70, 1.55, 1.45, 1.40, 1.38, 1.35, 1.30),
        raci_accountable="U0DEV",
    ),
    SeedPilot(
        name="Sales email drafting",
        owner="U0EVE",
        fields={
            **{k: v for k, v in _ready().items() if k != "sponsor"},
            "metric": "reply rate",
            "unit": "%",
            "better": "higher",
            "threshold": "12",
            "workflow": "CRM sequences",
        },
        baseline=8,
        weekly_readings=(9, 10, 11, 12, 12.5, 13, 13, 13.2),
        raci_accountable="U0EVE",
    ),
    SeedPilot(
        name="HR policy assistant",
        owner="U0FAY",
        fields={
            **_ready(),
            "metric": "tickets deflected",
            "unit": "%",
            "better": "higher",
            "threshold": "30",
            "workflow": "HR help desk",
        },
        baseline=0,
        weekly_readings=(12, None, None, None, None, None, None, None),
        raci_accountable="U0FAY",
    ),
    SeedPilot(
        name="Demand forecasting",
        owner="U0GUS",
        fields={
            **_ready(),
            "metric": "forecast error",
            "unit": "%",
            "better": "lower",
            "threshold": "8",
            "workflow": "replenishment planner",
            "decide-by": "2026-10-16",
        },
        baseline=14,
        weekly_readings=(13, 12.5, 12.2, 12, 11.8, 11.9, 11.7, 11.6),
        raci_accountable="U0GUS",
    ),
)
