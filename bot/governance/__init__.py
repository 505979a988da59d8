"""Pure domain rules: readiness, verdicts, cadence and field values.

Nothing here imports Slack or SQL; every function takes plain data and "now".
"""
