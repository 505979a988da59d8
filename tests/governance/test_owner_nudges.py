"""Reminders to the owner for what only they can fill in: a missing baseline, an area of the
RACI nobody is Accountable for, a reading that has fallen due. Each at its moment on the
owner's wall clock, and only then."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.governance.facts import Measurement
from bot.governance.vocabulary import Cadence
from bot.governance.vocabulary import Decision
from bot.governance.vocabulary import RaciArea
from bot.governance.vocabulary import RaciRole
from tests.governance.reminder_rows import AUCKLAND
from tests.governance.reminder_rows import B_FRESH
from tests.governance.reminder_rows import BERLIN
from tests.governance.reminder_rows import BL
from tests.governance.reminder_rows import KOLKATA
from tests.governance.reminder_rows import KOLKATA_MONTHLY
from tests.governance.reminder_rows import NEW_YORK
from tests.governance.reminder_rows import NO_BASELINE
from tests.governance.reminder_rows import NY_EXTENDED
from tests.governance.reminder_rows import NY_READ
from tests.governance.reminder_rows import NY_READ_AGAIN
from tests.governance.reminder_rows import R_FRESH
from tests.governance.reminder_rows import RACI
from tests.governance.reminder_rows import RD
from tests.governance.reminder_rows import UTC_NAME
from tests.governance.reminder_rows import Nudge
from tests.governance.reminder_rows import assert_nudge
from tests.governance.reminder_rows import at
from tests.governance.reminder_rows import decided
from tests.governance.reminder_rows import ids
from tests.governance.reminder_rows import pilot
from tests.governance.reminder_rows import read
from tests.slack.blocks.factory import OWNER
from tests.slack.blocks.factory import SPONSOR
from tests.slack.blocks.factory import full_raci

OWNER_NUDGES = [
    # Baseline missing: a day after registration, then every cadence period.
    Nudge("baseline: not on the day of registration", B_FRESH, BERLIN, "2026-03-03 09:59:59",
          BL, None),
    Nudge("baseline: one day after registration", B_FRESH, BERLIN, "2026-03-03 10:00", BL,
          (OWNER, "baseline:2026-03-03", "2026-03-03 10:00")),
    Nudge("baseline: the same occasion all week", B_FRESH, BERLIN, "2026-03-10 09:59:59", BL,
          (OWNER, "baseline:2026-03-03", "2026-03-03 10:00")),
    Nudge("baseline: again one period later", B_FRESH, BERLIN, "2026-03-10 10:00", BL,
          (OWNER, "baseline:2026-03-10", "2026-03-10 10:00")),
    Nudge("baseline: 10:00 local after spring forward", B_FRESH, BERLIN, "2026-03-31 10:00", BL,
          (OWNER, "baseline:2026-03-31", "2026-03-31 10:00")),
    Nudge("baseline: the third reminder, a week on", B_FRESH, BERLIN, "2026-03-17 10:00", BL,
          (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: from the third on, every other week: the fourth is skipped", B_FRESH,
          BERLIN, "2026-03-24 10:00", BL, (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: 09:30 CEST is not yet the fifth; the third still stands", B_FRESH, BERLIN,
          "2026-03-31 09:30", BL, (OWNER, "baseline:2026-03-17", "2026-03-17 10:00")),
    Nudge("baseline: weeks late, only the latest occasion", B_FRESH, BERLIN, "2026-05-01 12:00",
          BL, (OWNER, "baseline:2026-04-28", "2026-04-28 10:00")),
    Nudge("baseline recorded: nothing", pilot(BERLIN, "2026-03-02 10:00"), BERLIN,
          "2026-03-10 10:00", BL, None),
    Nudge("baseline: one recorded after now has not been recorded yet",
          replace(B_FRESH, baseline=Measurement(12, at(BERLIN, "2026-03-12 16:00"))), BERLIN,
          "2026-03-10 10:00", BL, (OWNER, "baseline:2026-03-10", "2026-03-10 10:00")),
    Nudge("baseline missing but no owner to ask", replace(B_FRESH, owner=None), BERLIN,
          "2026-03-10 10:00", BL, None),
    Nudge("baseline: monthly, 31 January", pilot(KOLKATA, "2026-01-30 12:00",
          cadence=Cadence.MONTHLY, **NO_BASELINE), KOLKATA, "2026-01-31 12:00", BL,
          (OWNER, "baseline:2026-01-31", "2026-01-31 12:00")),
    Nudge("baseline: monthly, 30 days after 31 January is 2 March", pilot(KOLKATA,
          "2026-01-30 12:00", cadence=Cadence.MONTHLY, **NO_BASELINE), KOLKATA,
          "2026-03-02 12:00", BL, (OWNER, "baseline:2026-03-02", "2026-03-02 12:00")),
    Nudge("baseline: the owner's date, not UTC's", pilot(AUCKLAND, "2026-02-27 08:00",
          **NO_BASELINE), AUCKLAND, "2026-02-27T19:00:00+00:00", BL,
          (OWNER, "baseline:2026-02-28", "2026-02-28 08:00")),
    Nudge("baseline: 31 December to 1 January", pilot(UTC_NAME, "2026-12-31 08:00",
          **NO_BASELINE), UTC_NAME, "2027-01-01 08:00", BL,
          (OWNER, "baseline:2027-01-01", "2027-01-01 08:00")),
    Nudge("baseline: 08:30 EST after fall back is still last week's", pilot(NEW_YORK,
          "2026-10-25 09:00", **NO_BASELINE), NEW_YORK, "2026-11-02T13:30:00+00:00", BL,
          (OWNER, "baseline:2026-10-26", "2026-10-26 09:00")),
    Nudge("baseline: 09:00 EST after fall back", pilot(NEW_YORK, "2026-10-25 09:00",
          **NO_BASELINE), NEW_YORK, "2026-11-02 09:00", BL,
          (OWNER, "baseline:2026-11-02", "2026-11-02 09:00")),
    # RACI with an area nobody is Accountable for: the same occasions.
    Nudge("raci: not before a day has passed", R_FRESH, BERLIN, "2026-03-03 09:59:59", RACI,
          None),
    Nudge("raci: one day after registration", R_FRESH, BERLIN, "2026-03-03 10:00", RACI,
          (OWNER, "raci:2026-03-03", "2026-03-03 10:00")),
    Nudge("raci: two periods later", R_FRESH, BERLIN, "2026-03-17 10:00", RACI,
          (OWNER, "raci:2026-03-17", "2026-03-17 10:00")),
    Nudge("raci: nobody named at all", replace(R_FRESH, raci={}), BERLIN, "2026-03-03 10:00",
          RACI, (OWNER, "raci:2026-03-03", "2026-03-03 10:00")),
    Nudge("raci: every area has its Accountable", pilot(BERLIN, "2026-03-02 10:00"), BERLIN,
          "2026-03-03 10:00", RACI, None),
    Nudge("raci: two Accountables is not a missing one",
          pilot(BERLIN, "2026-03-02 10:00", raci={**full_raci(OWNER),
                RaciArea.CHANGES: {RaciRole.ACCOUNTABLE: (OWNER, SPONSOR)}}),
          BERLIN, "2026-03-03 10:00", RACI, None),
    # Reading due: a period after the latest reading, decision or registration.
    Nudge("reading: a second before the week is up", NY_READ, NEW_YORK, "2026-03-02 08:59:59",
          RD, None),
    Nudge("reading: a week after the last one", NY_READ, NEW_YORK, "2026-03-02 09:00", RD,
          (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: 08:59 EDT after spring forward is still last week's", NY_READ, NEW_YORK,
          "2026-03-09 08:59:59", RD, (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: 09:00 EDT after spring forward", NY_READ, NEW_YORK,
          "2026-03-09T13:00:00+00:00", RD, (OWNER, "reading:2026-03-09", "2026-03-09 09:00")),
    Nudge("reading: a new reading resets the clock", NY_READ_AGAIN, NEW_YORK,
          "2026-03-09 09:00", RD, None),
    Nudge("reading: due a week after the new reading", NY_READ_AGAIN, NEW_YORK,
          "2026-03-12 15:00", RD, (OWNER, "reading:2026-03-12", "2026-03-12 15:00")),
    Nudge("reading: an extension resets the clock", NY_EXTENDED, NEW_YORK, "2026-03-09 09:00",
          RD, None),
    Nudge("reading: due a week after the extension", NY_EXTENDED, NEW_YORK, "2026-03-13 11:00",
          RD, (OWNER, "reading:2026-03-13", "2026-03-13 11:00")),
    Nudge("reading: an extension before the last reading changes nothing",
          replace(NY_READ, **decided(Decision.EXTEND, NEW_YORK, "2026-02-20 10:00")), NEW_YORK,
          "2026-03-02 09:00", RD, (OWNER, "reading:2026-03-02", "2026-03-02 09:00")),
    Nudge("reading: never measured, counted from registration",
          pilot(NEW_YORK, "2026-02-02 09:00"), NEW_YORK, "2026-02-09 09:00", RD,
          (OWNER, "reading:2026-02-09", "2026-02-09 09:00")),
    Nudge("reading: no owner to ask", replace(NY_READ, owner=None), NEW_YORK,
          "2026-03-02 09:00", RD, None),
    Nudge("reading: Berlin 09:30 CET after fall back is not yet a week",
          pilot(BERLIN, "2026-10-01 09:00", **read(BERLIN, "2026-10-19 10:00")), BERLIN,
          "2026-10-26T08:30:00+00:00", RD, None),
    Nudge("reading: Berlin 10:00 CET after fall back",
          pilot(BERLIN, "2026-10-01 09:00", **read(BERLIN, "2026-10-19 10:00")), BERLIN,
          "2026-10-26T09:00:00+00:00", RD, (OWNER, "reading:2026-10-26", "2026-10-26 10:00")),
    Nudge("reading: New York 13:30 UTC after fall back is 08:30 EST",
          pilot(NEW_YORK, "2026-10-01 09:00", **read(NEW_YORK, "2026-10-26 09:00")), NEW_YORK,
          "2026-11-02T13:30:00+00:00", RD, None),
    Nudge("reading: New York 14:00 UTC after fall back is 09:00 EST",
          pilot(NEW_YORK, "2026-10-01 09:00", **read(NEW_YORK, "2026-10-26 09:00")), NEW_YORK,
          "2026-11-02T14:00:00+00:00", RD, (OWNER, "reading:2026-11-02", "2026-11-02 09:00")),
    Nudge("reading: monthly from 31 January, not yet on 2 March 11:59",
          KOLKATA_MONTHLY,
          KOLKATA, "2026-03-02 11:59:59", RD, None),
    Nudge("reading: monthly from 31 January, due 2 March",
          KOLKATA_MONTHLY,
          KOLKATA, "2026-03-02 12:00", RD, (OWNER, "reading:2026-03-02", "2026-03-02 12:00")),
    Nudge("reading: biweekly into the new year",
          pilot(UTC_NAME, "2026-12-01 12:00", cadence=Cadence.BIWEEKLY,
                **read(UTC_NAME, "2026-12-18 16:00")),
          UTC_NAME, "2027-01-01 16:00", RD, (OWNER, "reading:2027-01-01", "2027-01-01 16:00")),
    Nudge("reading: weekly on 28 February",
          pilot(BERLIN, "2026-02-01 12:00", **read(BERLIN, "2026-02-21 18:00")), BERLIN,
          "2026-02-28 18:00", RD, (OWNER, "reading:2026-02-28", "2026-02-28 18:00")),
    Nudge("reading: Auckland springs forward, due 20:00 UTC the day before",
          pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00")), AUCKLAND,
          "2026-09-27T20:00:00+00:00", RD, (OWNER, "reading:2026-09-28", "2026-09-28 09:00")),
    Nudge("reading: Auckland, a second earlier",
          pilot(AUCKLAND, "2026-09-01 09:00", **read(AUCKLAND, "2026-09-21 09:00")), AUCKLAND,
          "2026-09-27T19:59:59+00:00", RD, None),
]  # fmt: skip


@pytest.mark.parametrize("row", OWNER_NUDGES, ids=ids(OWNER_NUDGES))
def test_owner_nudge(row: Nudge) -> None:
    """Due to the owner at the row's moment, or not at all."""
    assert_nudge(row)
