"""One jinja2 environment for every HTML page: autoescape on, links through a scheme allow-list."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

SAFE_SCHEMES = {"http", "https", "mailto", ""}


def safe_url(url: str | None) -> str:
    """Return the URL when its scheme is allowed (http, https, mailto, relative), else ``#``."""
    if not url:
        return "#"
    cleaned = "".join(ch for ch in url if ch.isprintable() and not ch.isspace())
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "#"
    return cleaned if scheme in SAFE_SCHEMES else "#"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "xml"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["safe_url"] = safe_url
    return env


def render_page(template: str, **context) -> str:
    return environment().get_template(template).render(**context)
