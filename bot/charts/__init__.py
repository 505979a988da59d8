"""Pictures of pilots as PNG bytes, from plain data; nothing here knows Slack or SQL.

`bot.charts.series` (the input types) and `bot.charts.sparkline` import no matplotlib, so a
listener that only needs a sparkline stays cheap; the charts themselves are in
`bot.charts.metric` and `bot.charts.portfolio`.
"""
