"""Block Kit builders: pure functions from reports to the dicts Slack renders, one per surface.

No Slack calls and no SQL here; every builder keeps within Slack's limits (see `common`).
"""
