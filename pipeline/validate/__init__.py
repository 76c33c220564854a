"""Validate stage: findings about one description (checks), two editions (diff) or two languages (parity)."""
