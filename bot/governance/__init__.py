"""Pure domain rules: readiness, verdicts, cadence, the decision loop and field values.

Nothing here imports Slack or SQL; every function takes plain data and "now". Sentences are
plain text that name people with `people.person`, never Slack markup.
"""
