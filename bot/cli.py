"""`pilotgate`: the command line. Parses, wires and calls; the work is done elsewhere."""

from __future__ import annotations

import argparse
import logging
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import ConfigurationError, PilotgateError, UserError
from bot.services.export import FORMATS, export_records, to_csv, to_json
from bot.settings import Settings, load_settings
from storage.db import create_db_engine, session_factory
from storage.migrate import upgrade
from storage.unit_of_work import UnitOfWork

log = logging.getLogger("pilotgate")

LISTENER_THREADS = 8


def parse_instant(text: str) -> datetime:
    """ISO-8601; a value without an offset is read as UTC."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"takes an ISO-8601 instant like 2026-11-22T09:00:00Z, not {text!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pilotgate",
        description="Carries AI pilots from demo to a go/no-go decision, inside Slack.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the Slack app over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--no-scheduler", action="store_true", help="do not tick in-process")
    socket_mode = commands.add_parser("socket", help="run the Slack app in Socket Mode")
    socket_mode.add_argument("--no-scheduler", action="store_true", help="do not tick in-process")
    tick = commands.add_parser("tick", help="one scheduler pass, then exit")
    tick.add_argument("--at", type=parse_instant, help="as of this instant (default: now)")

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply schema migrations")

    export = commands.add_parser("export", help="print the portfolio")
    export.add_argument("--format", choices=FORMATS, default="json")
    export.add_argument(
        "--at", type=parse_instant, help="verdicts as of this ISO-8601 instant (default: now)"
    )
    commands.add_parser("demo", help="an offline tour with a sample portfolio, no Slack needed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Alembic narrates every migration step at INFO; people need only its warnings.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return _run(args)
    except (ConfigurationError, UserError) as error:
        print(f"pilotgate: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        print(f"pilotgate: the database at DATABASE_URL did not answer: {reason}", file=sys.stderr)
        return 1
    except PilotgateError as error:
        print(f"pilotgate: {error}", file=sys.stderr)
        return 1
    except Exception:
        # One boundary for the unexpected: the person gets an id, the log gets the detail.
        incident = uuid.uuid4().hex[:8]
        log.exception("unexpected error %s", incident)
        print(f"pilotgate: unexpected error (id {incident}); see the log above.", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from bot.demo import run_demo

        return run_demo(sys.stdout)
    settings = load_settings()
    if args.command == "tick":
        return _tick(args, settings)
    if args.command in ("serve", "socket"):
        return _run_slack(args, settings)
    if args.command == "db":
        _migrated_sessions(settings)
        print("pilotgate: database is at the latest schema.", file=sys.stderr)
        return 0
    if args.command == "export":
        sessions = _migrated_sessions(settings)
        with UnitOfWork(sessions) as uow:
            records = export_records(uow, args.at or datetime.now(UTC))
        sys.stdout.write(to_json(records) + "\n" if args.format == "json" else to_csv(records))
        return 0
    raise AssertionError(f"unhandled command {args.command}")


def _migrated_sessions(settings: Settings) -> sessionmaker[Session]:
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    return session_factory(engine)


def _run_slack(args: argparse.Namespace, settings: Settings) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from bot.app import create_app
    from bot.slack.work import Work

    if args.command == "socket":
        settings.require("slack_app_token", purpose="pilotgate socket needs it to connect")
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    executor = ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="pilotgate-listener")
    work = Work()
    sessions = session_factory(engine)
    app = create_app(
        settings,
        sessions,
        listener_executor=executor,
        work=work,
        socket_mode=args.command == "socket",
    )

    scheduler = None
    if not args.no_scheduler:
        from bot.scheduler.runner import start_background
        from bot.scheduler.transport import transport_for

        scheduler = start_background(sessions, transport_for(settings, sessions))

    def finish() -> None:
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        # Work that ran after ack() finishes before the process goes.
        executor.shutdown(wait=True)
        work.shutdown()
        engine.dispose()

    if args.command == "serve":
        from bot.server import PilotgateWsgi, serve

        serve(PilotgateWsgi(app, engine, settings), args.host, args.port, on_stop=finish)
        return 0
    from bot.socket import run_socket_mode

    assert settings.slack_app_token is not None  # narrowed by require()
    run_socket_mode(app, settings.slack_app_token.get_secret_value(), on_stop=finish)
    return 0


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler.runner import tick
    from bot.scheduler.transport import transport_for

    if not settings.oauth:
        settings.require("slack_bot_token", purpose="pilotgate tick needs it to send messages")
    sessions = _migrated_sessions(settings)
    result = tick(sessions, transport_for(settings, sessions), args.at or datetime.now(UTC))
    print(f"pilotgate: {result.summary()}", file=sys.stderr)
    return 0
