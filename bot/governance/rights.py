"""Who may change a pilot: its owner, its sponsor, its Accountable people and workspace admins.
Anyone in the workspace may read it."""

from __future__ import annotations

from collections.abc import Iterable


def may_change(
    user_id: str,
    *,
    is_admin: bool,
    owner: str | None,
    sponsor: str | None,
    accountable: Iterable[str],
) -> bool:
    if is_admin or user_id in (owner, sponsor):
        return True
    return user_id in set(accountable)
