"""How the browser harness finds things: labels as shown, API paths, the one timeout."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

TIMEOUT = 15_000  # ms; a wait for an answer or an element, never a pause


def exact(text: str) -> re.Pattern:
    """Matches a label as shown, allowing amis' required star and surrounding space."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def path_matches(url: str, path: str | re.Pattern) -> bool:
    got = urlsplit(url).path
    return bool(path.fullmatch(got)) if isinstance(path, re.Pattern) else got == path


def api_path(api: str) -> str | re.Pattern:
    """"get:/api/pc/v1/users?x=${y}" -> "/api/pc/v1/users"; a path with variables becomes a pattern."""
    path = urlsplit(api.split(":", 1)[1] if re.match(r"^(get|post|put|delete|patch):", api) else api).path
    if "$" not in path:
        return path
    return re.compile("".join("[^/]+" if part.startswith("${") else re.escape(part)
                              for part in re.split(r"(\$\{[^}]*\})", path)))
