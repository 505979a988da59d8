"""The HTTP edge: what must hold of a request before the Slack app sees it."""
