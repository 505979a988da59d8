"""Everything that speaks Slack: ids, the command grammar, Block Kit builders, listeners."""
