"""Diff: two editions of one document -> material changes (kind, severity, provenance)."""
