"""Where each field people set lives on the stored pilot."""

from __future__ import annotations

from collections.abc import Mapping

from bot.governance.vocabulary import Field

ATTRIBUTES: Mapping[Field, str] = {
    Field.NAME: "name",
    Field.OWNER: "owner_id",
    Field.SPONSOR: "sponsor_id",
    Field.METRIC: "metric_name",
    Field.UNIT: "unit",
    Field.BETTER: "better",
    Field.THRESHOLD: "threshold",
    Field.CADENCE: "cadence",
    Field.DECIDE_BY: "decide_by",
    Field.WORKFLOW: "workflow",
    Field.EVAL_SIZE: "eval_size",
    Field.EVAL_SCORE: "eval_score",
    Field.EVAL_BAR: "eval_bar",
    Field.MONITORING: "monitoring",
    Field.ROLLBACK: "rollback",
    Field.COST_PER_UNIT: "cost_per_unit",
    Field.VALUE_PER_UNIT: "value_per_unit",
    Field.VOLUME: "volume",
    Field.CURRENCY: "currency",
}
