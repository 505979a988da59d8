"""Persistence for pilotgate: SQLAlchemy models, queries, the unit of work and migrations.

Nothing in this package imports from `bot`.
"""
