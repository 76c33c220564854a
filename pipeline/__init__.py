"""svcdesc: vendor service descriptions (PDF, Markdown, text; FR/EN) to structured, comparable data.

Stages run one way: extract -> normalize -> validate -> render, wired by ``build`` and the CLI.
"""

__version__ = "0.1.0"
