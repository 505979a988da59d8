"""`/pilot history <key> [page]`: the audit trail as a person reads it, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.services.history import HistoryEntry
from bot.services.history import HistoryPage
from bot.slack.blocks.common import MAX_SECTION_TEXT
from bot.slack.blocks.common import Blocks
from bot.slack.blocks.common import clip_mrkdwn
from bot.slack.blocks.common import code
from bot.slack.blocks.common import context
from bot.slack.blocks.common import header
from bot.slack.blocks.common import mention
from bot.slack.blocks.common import pack_lines
from bot.slack.blocks.common import section


def history_reply(page: HistoryPage, tz: ZoneInfo) -> dict[str, Any]:
    title = f"{page.key} history · page {page.page} of {page.pages}"
    if not page.entries:
        return {"text": f"{page.key} has no history yet", "blocks": [section(f"*{title}*")]}
    lines = [_line(entry, tz) for entry in page.entries]
    texts, _ = pack_lines(lines, MAX_SECTION_TEXT)
    blocks: Blocks = [header(title), *(section(text) for text in texts)]
    notes = [f"{page.total} changes in all, newest first, times in {tz.key}."]
    if page.page < page.pages:
        notes.append(f"Older: {code(f'/pilot history {page.key} {page.page + 1}')}")
    blocks.append(context(*notes))
    return {"text": title, "blocks": blocks}


def _line(entry: HistoryEntry, tz: ZoneInfo) -> str:
    when = _when(entry.at, tz)
    who = entry.who if entry.who.startswith(("token:", "import:")) else mention(entry.who)
    change = clip_mrkdwn(entry.what, 80)
    if entry.before is not None or entry.after is not None:
        before = clip_mrkdwn(entry.before or "—", 120)
        after = clip_mrkdwn(entry.after or "—", 120)
        change += f": {before} → {after}"
    line = f"• {when} · {who} · {change}"
    if entry.note:
        line += f"\n   _{clip_mrkdwn(entry.note, 300)}_"
    return line


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
