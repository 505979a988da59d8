"""Escalations to the sponsor when the owner's reminders go unanswered: readings missed in a
row, then the stop-or-extend question. Counted on the owner's wall clock."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.governance.reminder_rows import AUCKLAND
from tests.governance.reminder_rows import KOLKATA
from tests.governance.reminder_rows import KOLKATA_MONTHLY
from tests.governance.reminder_rows import MISSED
from tests.governance.reminder_rows import NEW_YORK
from tests.governance.reminder_rows import NY_EXTENDED
from tests.governance.reminder_rows import NY_READ
from tests.governance.reminder_rows import NY_READ_AGAIN
from tests.governance.reminder_rows import STOP
from tests.governance.reminder_rows import Nudge
from tests.governance.reminder_rows import assert_nudge
from tests.governance.reminder_rows import ids
from tests.governance.reminder_rows import pilot
from tests.governance.reminder_rows import read
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR

ESCALATIONS = [
    # Two due readings missed in a row: the sponsor hears; after one, not yet.
    Nudge("missed: one missed reading is not escalated", NY_READ, NEW_YORK, "2026-03-02 09:00",
          MISSED, None),
    Nudge("missed: a second before the second one", NY_READ, NEW_YORK, "2026-03-09 08:59:59",
          MISSED, None),
    Nudge("missed: the second reading has fallen due, not yet been missed", NY_READ, NEW_YORK,
          "2026-03-09 09:00", MISSED, None),
    Nudge("missed: a second before 24 hours have passed", NY_READ, NEW_YORK,
          "2026-03-10 08:59:59", MISSED, None),
    Nudge("missed: the second missed reading goes to the sponsor", NY_READ, NEW_YORK,
          "2026-03-10 09:00", MISSED, (SPONSOR, "missed:2026-03-10", "2026-03-10 09:00")),
    Nudge("missed: the same escalation until the third", NY_READ, NEW_YORK, "2026-03-17 08:59",
          MISSED, (SPONSOR, "missed:2026-03-10", "2026-03-10 09:00")),
    Nudge("missed: three in a row, again", NY_READ, NEW_YORK, "2026-03-17 09:00", MISSED,
          (SPONSOR, "missed:2026-03-17", "2026-03-17 09:00")),
    Nudge("missed: from the fourth on the stop-or-extend question asks instead", NY_READ,
          NEW_YORK, "2026-03-31 09:00", MISSED,
          (SPONSOR, "missed:2026-03-17", "2026-03-17 09:00")),
    Nudge("missed: no sponsor to tell", replace(NY_READ, sponsor=None), NEW_YORK,
          "2026-03-10 09:00", MISSED, None),
    Nudge("missed: not a sponsor who has left", replace(NY_READ, sponsor_deactivated=True),
          NEW_YORK, "2026-03-10 09:00", MISSED, None),
    Nudge("missed: not the owner who is also the sponsor", replace(NY_READ, sponsor=OWNER),
          NEW_YORK, "2026-03-10 09:00", MISSED, None),
    Nudge("missed: 24 hours after 09:00 EST on Saturday is 10:00 EDT on Sunday",
          pilot(NEW_YORK, "2026-02-01 09:00", **read(NEW_YORK, "2026-02-21 09:00")), NEW_YORK,
          "2026-03-08 09:59:59", MISSED, None),
    Nudge("missed: at 10:00 EDT the day the clocks sprang forward",
          pilot(NEW_YORK, "2026-02-01 09:00", **read(NEW_YORK, "2026-02-21 09:00")), NEW_YORK,
          "2026-03-08 10:00", MISSED, (SPONSOR, "missed:2026-03-08", "2026-03-08 10:00")),
    Nudge("missed: a reading in between resets the count", NY_READ_AGAIN, NEW_YORK,
          "2026-03-16 09:00", MISSED, None),
    Nudge("missed: a day after two periods after an extension", NY_EXTENDED, NEW_YORK,
          "2026-03-21 11:00", MISSED, (SPONSOR, "missed:2026-03-21", "2026-03-21 11:00")),
    Nudge("missed: monthly, a day after the 60th day after 31 January",
          KOLKATA_MONTHLY,
          KOLKATA, "2026-04-02 12:00", MISSED, (SPONSOR, "missed:2026-04-02", "2026-04-02 12:00")),
    # Stop or extend: four cadence periods without a reading or decision, then every four.
    Nudge("stop or extend: not a second before four weeks", NY_READ, NEW_YORK,
          "2026-03-23 08:59:59", STOP, None),
    Nudge("stop or extend: four weeks after the last reading, across spring forward", NY_READ,
          NEW_YORK, "2026-03-23 09:00", STOP,
          (SPONSOR, "stop-or-extend:2026-03-23", "2026-03-23 09:00")),
    Nudge("stop or extend: again four weeks later", NY_READ, NEW_YORK, "2026-04-20 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-04-20", "2026-04-20 09:00")),
    Nudge("stop or extend: the third question", NY_READ, NEW_YORK, "2026-05-18 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-05-18", "2026-05-18 09:00")),
    Nudge("stop or extend: then every other time: the fourth is skipped", NY_READ, NEW_YORK,
          "2026-06-15 09:00", STOP, (SPONSOR, "stop-or-extend:2026-05-18", "2026-05-18 09:00")),
    Nudge("stop or extend: and the fifth is asked", NY_READ, NEW_YORK, "2026-07-13 09:00",
          STOP, (SPONSOR, "stop-or-extend:2026-07-13", "2026-07-13 09:00")),
    Nudge("stop or extend: counted from an extension", NY_EXTENDED, NEW_YORK,
          "2026-04-03 11:00", STOP, (SPONSOR, "stop-or-extend:2026-04-03", "2026-04-03 11:00")),
    Nudge("stop or extend: monthly, 120 days after 31 January",
          KOLKATA_MONTHLY,
          KOLKATA, "2026-05-31 12:00", STOP,
          (SPONSOR, "stop-or-extend:2026-05-31", "2026-05-31 12:00")),
    Nudge("stop or extend: never measured, from registration, as Auckland springs forward",
          pilot(AUCKLAND, "2026-09-01 09:00"), AUCKLAND, "2026-09-29 09:00", STOP,
          (SPONSOR, "stop-or-extend:2026-09-29", "2026-09-29 09:00")),
    Nudge("stop or extend: the owner when there is no sponsor", replace(NY_READ, sponsor=None),
          NEW_YORK, "2026-03-23 09:00", STOP,
          (OWNER, "stop-or-extend:2026-03-23", "2026-03-23 09:00")),
]  # fmt: skip


@pytest.mark.parametrize("row", ESCALATIONS, ids=ids(ESCALATIONS))
def test_escalation(row: Nudge) -> None:
    """Due to the sponsor (or the owner, with no sponsor) at the row's moment, or not at all."""
    assert_nudge(row)
