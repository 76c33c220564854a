"""svcdesc: vendor service descriptions (PDF, Markdown, text; FR/EN) to structured, comparable data.

Stages run one way: extract -> normalize -> checks/diff/parity -> render, wired by ``catalog`` and the CLI.
"""

__version__ = "0.1.0"
