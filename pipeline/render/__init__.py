"""Render stage: models -> bytes (catalogs, reports, exchange formats). Knows nothing of how models were made."""
