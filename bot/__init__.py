"""pilotgate: carries AI pilots from demo to a go/no-go decision, inside Slack."""

__version__ = "0.1.0"
