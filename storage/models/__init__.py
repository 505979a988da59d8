"""The tables. Instants are UTC; users and channels are bare Slack ids.

One module per part of the product; every table is importable from here."""

from __future__ import annotations

from storage.models.base import NAMING_CONVENTION
from storage.models.base import USER_ID
from storage.models.base import Audited
from storage.models.base import Base
from storage.models.delivery import DigestSubscription
from storage.models.delivery import Notification
from storage.models.delivery import NotificationStatus
from storage.models.delivery import Snooze
from storage.models.pilots import Amendment
from storage.models.pilots import Decision
from storage.models.pilots import Evaluation
from storage.models.pilots import Guardrail
from storage.models.pilots import Measurement
from storage.models.pilots import MeasurementKind
from storage.models.pilots import Pilot
from storage.models.pilots import RaciAssignment
from storage.models.pilots import Workspace
from storage.models.records import AuditEntry
from storage.models.records import Installation
from storage.models.records import OAuthState
from storage.models.records import Person
from storage.models.records import ProcessedEvent
from storage.models.requests import ApiToken
from storage.models.requests import IdempotentRequest
from storage.models.requests import IntakeRequest
from storage.models.requests import ServerKey

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
