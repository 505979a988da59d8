"""The scheduler: each tick records what is due in the outbox, then delivers what is pending.

The database, not this process's memory, is the truth of what is due, so a restart neither
repeats nor skips anything, and several processes may tick at once.
"""
