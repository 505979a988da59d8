"""The workers that carry out what the intake stored (bot/slack/intake.py).

Each worker claims the oldest request nobody holds, under a short lease, rebuilds the work
from the stored payload with the handler registered for its kind and name, answers the
person, and settles the row: done, or failed with the one line the person was told, as the
error boundary tells it. A keeper thread renews this process's leases while the work runs,
counts what waits, and settles requests too old to answer where they were asked.

Why a small pool: the work is CPU-bound Python, so two threads finish it as fast as eight
would without starving the acks (docs/benchmarks.md). Why leases: a process that dies holds
nothing for long; its rows are taken again when the lease ends, by it after a restart or by
another replica. Why the fence (storage/intake.py): a row taken over after a crash must not
make its change twice, and a worker whose lease ran out must not commit at all.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from typing import Self

from slack_bolt.context.respond import Respond
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from bot import logs
from bot.slack.blocks.common import escape
from bot.slack.errors import database_unavailable
from bot.slack.errors import error_line
from bot.slack.errors import tell
from bot.slack.identity import Requester
from bot.slack.installations import Clients
from bot.slack.intake import Intake
from bot.slack.intake import Job
from bot.slack.intake import Outcome
from storage import intake as store
from storage.intake import Kind
from storage.intake import Status
from storage.intake import Taken
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
WORKERS = 2
# Renewed every sweep while the work runs: a dead process's requests wait at most this long.
LEASE = timedelta(seconds=10)
SWEEP_SECONDS = 2.0
# An idle worker looks for requests that other processes stored this often; its own
# process wakes it at once.
POLL_SECONDS = 1.0
# A response_url lasts 30 minutes; after that a request can no longer be answered where it
# was asked.
ANSWERABLE_FOR = timedelta(minutes=30)
KEEP_FINISHED = timedelta(days=1)
FORGET_EVERY = timedelta(minutes=10)
EXPIRE_AT_ONCE = 100
# The person is told in a DM when a request they made could not be carried out in time.
PEOPLE_FACING = (Kind.COMMAND, Kind.ACTION, Kind.VIEW_SUBMISSION)
NOT_INSTALLED = (
    "pilotgate has no installation for this workspace, so nothing was changed. "
    "Ask an admin to install it again."
)


class Workers:
    """`with Workers(intake, sessions, clients): ...`: the pool runs inside the block; leaving
    it lets the work in hand finish, and leaves the rest in the database for the next start
    or another replica."""

    def __init__(
        self,
        intake: Intake,
        sessions: sessionmaker[Session],
        clients: Clients,
        *,
        count: int = WORKERS,
    ) -> None:
        self._intake = intake
        self._sessions = sessions
        self._clients = clients
        self._name = f"{socket.gethostname()[:40]}:{os.getpid()}"
        self._claims = itertools.count(1)
        self._stopping = threading.Event()
        self._held: set[store.Claim] = set()
        self._lock = threading.Lock()
        self._database_down = False
        self._threads = [
            threading.Thread(target=self._work, name=f"pilotgate-work-{number}", daemon=True)
            for number in range(1, count + 1)
        ]
        self._threads.append(
            threading.Thread(target=self._keep, name="pilotgate-work-keeper", daemon=True)
        )

    def start(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Lets each worker finish the request in hand; claims no more."""
        self._stopping.set()
        self._intake.wake_all()
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _work(self) -> None:
        while not self._stopping.is_set():
            seen = self._intake.arrivals()
            try:
                taken = self._claim()
            except Exception as error:  # the loop outlives a database outage
                self._trouble(error)
                self._stopping.wait(POLL_SECONDS)
                continue
            if taken is None:
                self._intake.wait_for_arrival(seen, POLL_SECONDS)
                continue
            try:
                # Its log lines name the request it works for, as the listener's did.
                with store.holding(taken.claim), logs.slack_request_context(taken.payload):
                    self._carry_out(taken)
            except Exception as error:  # bookkeeping failed; the lease brings the row back
                self._trouble(error)
            finally:
                with self._lock:
                    self._held.discard(taken.claim)

    def _claim(self) -> Taken | None:
        wall = datetime.now(UTC)
        token = f"{self._name}/{next(self._claims)}"
        with UnitOfWork(self._sessions) as uow:
            taken = store.claim(
                uow.session, token, wall=wall, lease=LEASE, fresh_since=wall - ANSWERABLE_FOR
            )
            uow.commit()
        self._fine()
        if taken is not None:
            with self._lock:
                self._held.add(taken.claim)
        return taken

    def _carry_out(self, taken: Taken) -> None:
        client = self._clients(taken.team_id, enterprise_of(taken.payload))
        if client is None:
            log.warning("request %s: workspace %s has no installation", taken.id, taken.team_id)
            if (url := taken.response_url) and taken.kind in PEOPLE_FACING:
                # A response_url needs no token: the one way left to tell the person.
                said = Respond(response_url=url)
                best_effort(taken, lambda: said(text=NOT_INSTALLED, response_type="ephemeral"))
            self._settle(taken, Status.FAILED, "no installation for the workspace")
            return
        job = Job(
            payload=taken.payload,
            requester=Requester(taken.team_id, taken.user_id),
            client=client,
            response_url=taken.response_url,
            received_at=taken.received_at,
        )
        if taken.replied:
            self._settle(taken, Status.DONE)
            return
        if taken.applied:
            # A process died between making the change and answering: answer, never redo.
            self._tell(job, taken, carried_out_note(taken))
            self._replied(taken)
            self._settle(taken, Status.DONE)
            return
        handler = self._intake.handler_for(taken.kind, taken.payload)
        if handler is None:
            log.warning("request %s: nothing carries out a %s like it", taken.id, taken.kind)
            self._settle(taken, Status.FAILED, "no handler")
            return
        outcome = self._run(handler, job, taken)
        if outcome is None:
            return
        if outcome.then is not None:
            try:
                outcome.then()
            except Exception:  # the person has their answer; what follows is best effort
                log.warning("request %s: the work after the reply failed", taken.id, exc_info=True)
        self._settle(taken, Status.DONE)

    def _run(self, handler: Callable[[Job], Outcome], job: Job, taken: Taken) -> Outcome | None:
        """The handler and its reply, behind the same boundary as a listener: None when the
        request failed (told and settled) or must be tried again."""
        try:
            outcome = handler(job)
            if outcome.reply is not None:
                self._reply(outcome.reply, job, taken)
                self._replied(taken)
            return outcome
        except store.LeaseLost:
            log.info("request %s was taken over by another worker; left to it", taken.id)
        except Exception as error:  # the boundary for work done after the ack
            if database_unavailable(error):
                # Nothing was committed; the lease runs out and the request is tried again.
                self._trouble(error)
                return None
            respond = Respond(response_url=job.response_url) if job.response_url else None
            told = error_line(error)
            tell(job.client, taken.payload, told, respond)
            self._settle(taken, Status.FAILED, told)
        return None

    def _replied(self, taken: Taken) -> None:
        with UnitOfWork(self._sessions) as uow:
            store.mark_replied(uow.session, taken.claim, datetime.now(UTC))
            uow.commit()

    def _settle(self, taken: Taken, status: Status, error: str | None = None) -> None:
        with UnitOfWork(self._sessions) as uow:
            settled = store.settle(uow.session, taken.claim, status, datetime.now(UTC), error)
            uow.commit()
        if not settled:
            log.info("request %s was settled by another worker", taken.id)

    def _reply(self, reply: Callable[[], None], job: Job, taken: Taken) -> None:
        """The change is made by now: a reply Slack would not take is said by DM instead,
        never as an error (carrying the request out again would not bring the answer)."""
        try:
            reply()
        except Exception:
            log.warning("request %s: its reply was not taken", taken.id, exc_info=True)
            note = lost_answer_note(taken)
            best_effort(
                taken, lambda: job.client.chat_postMessage(channel=taken.user_id, text=note)
            )

    def _tell(self, job: Job, taken: Taken, text: str) -> None:
        """Where the person asked while that still works, else in their DM."""

        def say() -> None:
            if job.response_url and taken.received_at > datetime.now(UTC) - ANSWERABLE_FOR:
                job.respond(text=text, response_type="ephemeral", replace_original=False)
            else:
                job.client.chat_postMessage(channel=taken.user_id, text=text)

        best_effort(taken, say)

    def _keep(self) -> None:
        forget_at = datetime.now(UTC)
        while True:
            try:
                forget_at = self._sweep(forget_at)
            except Exception as error:  # the keeper outlives a database outage
                self._trouble(error)
            if self._stopping.wait(SWEEP_SECONDS):
                return

    def _sweep(self, forget_at: datetime) -> datetime:
        """Renews this process's leases, settles what is too old to answer, counts what
        waits, and now and then forgets finished requests. Returns the next forgetting time."""
        wall = datetime.now(UTC)
        with self._lock:
            held = list(self._held)
        with UnitOfWork(self._sessions) as uow:
            store.renew(uow.session, held, wall + LEASE)
            expired = store.expire(
                uow.session, received_before=wall - ANSWERABLE_FOR, wall=wall, limit=EXPIRE_AT_ONCE
            )
            waiting = store.waiting(uow.session)
            if wall >= forget_at:
                store.forget_finished(uow.session, wall - KEEP_FINISHED)
                forget_at = wall + FORGET_EVERY
            uow.commit()
        self._fine()
        self._intake.counted(waiting)
        # Told after the commit: no Slack call while the rows are locked.
        for taken in expired:
            self._tell_expired(taken)
        return forget_at

    def _tell_expired(self, taken: Taken) -> None:
        if taken.kind not in PEOPLE_FACING or taken.replied:
            return
        log.warning("request %s expired unanswered (%s)", taken.id, taken.kind)
        client = self._clients(taken.team_id, enterprise_of(taken.payload))
        if client is None:
            return
        text = carried_out_note(taken) if taken.applied else timed_out_note(taken)
        best_effort(taken, lambda: client.chat_postMessage(channel=taken.user_id, text=text))

    def _trouble(self, error: Exception) -> None:
        """A database outage is one warning until it ends; anything else is a bug to log."""
        if database_unavailable(error):
            if not self._database_down:
                self._database_down = True
                log.warning("the database did not answer; requests wait for it: %s",
                            _first_line(error))  # fmt: skip
            return
        log.error("the intake workers met an unexpected error", exc_info=error)

    def _fine(self) -> None:
        if self._database_down:
            self._database_down = False
            log.info("the database answers again; carrying on with the requests waiting")


def best_effort(taken: Taken, tell: Callable[[], object]) -> None:
    """Telling the person is best effort: what could not be said is in the log."""
    try:
        tell()
    except Exception:
        log.warning("request %s: could not tell %s", taken.id, taken.user_id, exc_info=True)


def enterprise_of(payload: dict[str, Any]) -> str | None:
    """The Enterprise Grid org a request came from: a command says `enterprise_id`, buttons
    and forms `enterprise.id`."""
    enterprise = payload.get("enterprise")
    found = payload.get("enterprise_id") or (
        enterprise.get("id") if isinstance(enterprise, dict) else None
    )
    return found if isinstance(found, str) and found else None


def what_was_asked(kind: Kind, payload: dict[str, Any]) -> str:
    """The request in the person's words, as far as the payload says."""
    if kind is Kind.COMMAND:
        text = f"{payload.get('command') or '/pilot'} {payload.get('text') or ''}".strip()
        return f"`{escape(text)}`"
    if kind is Kind.VIEW_SUBMISSION:
        title = ((payload.get("view") or {}).get("title") or {}).get("text")
        return f"the {escape(title)} form" if isinstance(title, str) and title else "a form"
    return "the button you pressed"


def timed_out_note(taken: Taken) -> str:
    return (
        f"Your request {what_was_asked(taken.kind, taken.payload)} of "
        f"{taken.received_at:%d %b %H:%M} UTC timed out before pilotgate could carry it out; "
        "nothing was changed. Please try again."
    )


def carried_out_note(taken: Taken, lost: str = "when pilotgate restarted") -> str:
    return (
        f"Done: {what_was_asked(taken.kind, taken.payload)} of "
        f"{taken.received_at:%d %b %H:%M} UTC was carried out, but its answer was lost {lost}. "
        "`/pilot list` shows where your pilots stand."
    )


def lost_answer_note(taken: Taken) -> str:
    return carried_out_note(taken, lost="on its way to Slack")


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(original).__name__])[0]
