"""Use cases shared by Slack listeners, the scheduler and the CLI.

Each takes a unit of work and an Actor, checks who may do it, changes storage, and returns
plain data for the caller to render. Authorization and workspace isolation live here, once.
"""
