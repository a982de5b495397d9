"""Resolve stage: who (actors) and when (dates) for every mention."""
