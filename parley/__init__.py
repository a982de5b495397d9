"""Parley: a source-attributed, queryable model of conflicts and negotiations from news reports."""

__version__ = "0.1.0"
