"""Charts in Slack: drawn after the ack by an intake worker (never on Bolt's threads), uploaded
through Slack's external upload flow, and shown in an image block that names the file, so the
same chart works in an ephemeral reply, a DM, the App Home and a thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.charts.metric import metric_chart
from bot.charts.series import MetricSeries
from bot.errors import InvalidInput
from bot.governance.vocabulary import Better
from bot.services.chart_data import ChartData
from bot.slack.blocks.common import context
from bot.slack.blocks.common import truncate

log = logging.getLogger(__name__)
ALT_TEXT_LIMIT = 2000


def chart_reply(client: WebClient, data: ChartData) -> dict[str, Any]:
    """The reply that shows the chart; one line instead when there is nothing to draw or
    Slack would not take the picture."""
    key = data.key
    series = data.metric or MetricSeries(
        "Go-live metric (no direction agreed yet)", None, Better.LOWER, ()
    )
    png = metric_chart(series, data.guardrails)
    if png is None:
        raise InvalidInput(
            f"{key} has no readings to chart yet; record one with `/pilot update {key} <number>`."
        )
    file_id = upload(client, png, f"{key}-chart.png", f"{key}: the go-live metric over time")
    alt = truncate(_alt_text(series), ALT_TEXT_LIMIT)
    return {
        "text": f"{key}: the go-live metric over time",
        "blocks": [
            {"type": "image", "slack_file": {"id": file_id}, "alt_text": alt},
            context(
                f"{len(series.readings)} readings · {len(data.guardrails)} guardrails · "
                "baseline, threshold and decide-by marked"
            ),
        ],
    }


def upload(client: WebClient, png: bytes, filename: str, title: str) -> str:
    """The id of the uploaded file (private to the app until a block shows it)."""
    try:
        answer = client.files_upload_v2(
            content=png, filename=filename, title=title, request_file_info=False
        )
    except SlackApiError as error:
        code = error.response.get("error", "an error")
        log.warning("chart upload refused: %s", code)
        raise InvalidInput(
            f"Slack did not take the chart just now ({code}); try again in a minute."
        ) from None
    file = answer.get("file") or (answer.get("files") or [{}])[0]
    return str(file["id"])


def _alt_text(series: MetricSeries) -> str:
    values = [value for _, value in series.readings]
    latest = f", latest {values[-1]:g}" if values else ""
    lines = []
    if series.baseline is not None:
        lines.append(f"baseline {series.baseline:g}")
    if series.threshold is not None:
        lines.append(f"threshold {series.threshold:g}")
    unit = f" {series.unit}" if series.unit else ""
    return f"{series.name}{unit}: {len(values)} readings{latest}; {', '.join(lines)}"
