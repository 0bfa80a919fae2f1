"""Store targets: a path or a URL to SQLAlchemy's URL, and the URL as messages may show it
(a password, in the user part or the query, never shown)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, quote_plus

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError


def database_url(target: str) -> str:
    """A SQLAlchemy URL for a SQLite file path or a database URL (postgresql:// means psycopg 3)."""
    if target.startswith(("postgresql://", "postgres://")):  # the usual URL means psycopg 3 here
        return "postgresql+psycopg://" + target.split("://", 1)[1]
    return target if "://" in target else f"sqlite:///{Path(target).resolve()}"


def _url(target: str) -> URL | None:
    try:
        return make_url(target) if "://" in target else None
    except (ArgumentError, ValueError):  # a port that is no number, a broken [ipv6] host
        return None


# A password may stand in the URL's user part or in its query (?password=…); either is masked
# whether or not the URL parses, since a URL that does not parse is quoted in its error.
_PASSWORD_IN_USER = re.compile(r"(://[^/@\s]*?:)[^@/\s]*(@)")
_PASSWORD_IN_QUERY = re.compile(r"([?&](?:password|passwd|pwd)=)([^&#\s]*)", re.IGNORECASE)


def shown(target: str) -> str:
    """The store as messages name it: a URL's password as ***."""
    url = _url(target)
    if url is not None and url.password:
        target = url.render_as_string(hide_password=True)
    else:
        target = _PASSWORD_IN_USER.sub(r"\1***\2", target)
    return _PASSWORD_IN_QUERY.sub(r"\1***", target)


def _passwords(target: str) -> set[str]:
    url = _url(target)
    found = {str(url.password)} if url is not None and url.password else set()
    found |= {m.group(2) for m in _PASSWORD_IN_QUERY.finditer(target) if m.group(2)}
    user = _PASSWORD_IN_USER.search(target)
    if user:
        found.add(target[user.end(1) : user.start(2)])
    return {p for p in found if p}


def redact(text: str, target: str) -> str:
    """Text (an exception's, say) with the store's password masked wherever it is quoted."""
    passwords = _passwords(target)
    if not passwords:
        return text
    url = _url(target)
    spellings = {target, database_url(target)} | ({url.render_as_string(hide_password=False)} if url else set())
    for spelled in spellings:
        text = text.replace(spelled, "\0")  # whole URLs first, so the masked form is the one users typed
    for password in passwords:
        for spelled in {password, quote_plus(password), quote(password, safe="")}:
            text = text.replace(spelled, "***")
    return text.replace("\0", shown(target))
