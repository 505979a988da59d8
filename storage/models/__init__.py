"""The tables. Instants are UTC; users and channels are bare Slack ids.

One module per part of the product; every table is importable from here."""

from __future__ import annotations

from storage.models.base import NAMING_CONVENTION, USER_ID, Audited, Base
from storage.models.delivery import DigestSubscription, Notification, NotificationStatus, Snooze
from storage.models.pilots import (
    Amendment,
    Decision,
    Evaluation,
    Guardrail,
    Measurement,
    MeasurementKind,
    Pilot,
    RaciAssignment,
    Workspace,
)
from storage.models.records import AuditEntry, Installation, OAuthState, Person, ProcessedEvent
from storage.models.requests import ApiToken, IdempotentRequest, IntakeRequest, ServerKey

__all__ = [
    "NAMING_CONVENTION",
    "USER_ID",
    "Amendment",
    "ApiToken",
    "AuditEntry",
    "Audited",
    "Base",
    "Decision",
    "DigestSubscription",
    "Evaluation",
    "Guardrail",
    "IdempotentRequest",
    "Installation",
    "IntakeRequest",
    "Measurement",
    "MeasurementKind",
    "Notification",
    "NotificationStatus",
    "OAuthState",
    "Person",
    "Pilot",
    "ProcessedEvent",
    "RaciAssignment",
    "ServerKey",
    "Snooze",
    "Workspace",
]
