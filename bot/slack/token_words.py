"""The words of `/pilot token new <label> | token list | token revoke <id>`: the API tokens a
workspace admin issues, lists and revokes, read into the token service's typed commands."""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import InvalidInput
from bot.services import tokens
from bot.slack.fields import read_text
from bot.slack.fields import shown

FORM = "/pilot token new <label> | token list | token revoke <id>"

TokenCommand = tokens.IssueToken | tokens.ListTokens | tokens.RevokeToken


def parse_token(words: Sequence[str]) -> TokenCommand:
    """The action word, then what it takes: a label, nothing, or one token id."""
    action = words[0].lower() if words else ""
    rest = words[1:]
    if action == "new":
        form = "`/pilot token new <label>`"
        label = " ".join(rest).strip()
        if not label:
            raise InvalidInput(f"Say what will use the token: {form}.")
        return tokens.IssueToken(read_text("label", label, limit=tokens.MAX_LABEL, form=form))
    if action == "list":
        if rest:
            raise InvalidInput("`/pilot token list` takes nothing more: `/pilot token list`.")
        return tokens.ListTokens()
    if action == "revoke":
        form = "`/pilot token revoke <id>`"
        if len(rest) != 1:
            raise InvalidInput(f"Name one token id, as `/pilot token list` shows it: {form}.")
        token_id = rest[0].strip("`").lower()
        if not tokens.ID_SHAPE.fullmatch(token_id):
            raise InvalidInput(
                f"`{shown(rest[0])}` is not a token id; ids are 8 characters like `3f9c2a7e`: "
                f"{form}."
            )
        return tokens.RevokeToken(token_id)
    if not words:
        raise InvalidInput(f"Say what to do with API tokens: `{FORM}`.")
    raise InvalidInput(f"`{shown(words[0])}` is not a token action: `{FORM}`.")
