"""Checks: findings about one description (V1xx), each a small named function with a code and category."""
