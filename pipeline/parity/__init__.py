"""Parity: the same edition in two languages -> alignment and translation findings."""
