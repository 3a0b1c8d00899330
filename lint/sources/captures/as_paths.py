"""AS paths as route captures print them (`65515 11111`, or `65515-11111` in virtual hub outputs).

A path is read token by token and never longer than MAX_AS_PATH: a capture holding one row with a
16-million-entry path (96 MB) was split into a list, then a tuple of ints, and took 3 GB. Real paths are
short. Routers drop or refuse long ones: `bgp maxas-limit` defaults to 75 ASNs (Dell, LANCOM) or 300
(Extreme SLX-OS, which allows at most 300), ExtremeXOS caps its setting at 1,500; and BGP itself cannot
carry more than about 16,000 four-octet ASNs (RFC 4271 §4.3: segments of at most 255 ASNs in an attribute
of at most 65,535 octets). 1,000 is far above any path a circuit shows, and small enough to read at once.
"""

from __future__ import annotations

import re

from anycast_lint.errors import InputError
from anycast_lint.model.positions import Origin
from anycast_lint.model.values import is_ascii_number

MAX_AS_PATH = 1000
_SHORT = 1024  # characters: fewer than MAX_AS_PATH tokens fit, so the path is split at once
_TOKEN = re.compile(r"[^\s-]+")
_SEPARATORS = re.compile(r"[\s-]+")


def shown(text: str) -> str:
    """A value for 'got ...': quoted, cut to 60 characters (a path can be 96 MB)."""
    return repr(text) if len(text) <= 60 else repr(text[:57] + "...")


def read_as_path(
    text: str, origin: Origin, line: int | None = None, start: int = 0, end: int | None = None
) -> tuple[int, ...]:
    """The ASNs of `text[start:end]` (read in place: a 96 MB path is never copied); an error at `origin` when
    a token is not an AS number, and at the first ASN over MAX_AS_PATH when the path is longer: at `line`,
    in the column of that ASN, when `text` is that line, else at `origin`."""
    end = len(text) if end is None else end
    if end - start <= _SHORT:
        part = text[start:end]
        tokens = [token for token in _SEPARATORS.split(part) if token]
        if all(len(token) <= 10 and is_ascii_number(token) for token in tokens):
            return tuple(map(int, tokens))
        raise InputError.at(origin, f"expected an AS path like '65515 11111', got {shown(part.strip())}")
    asns: list[int] = []
    for match in _TOKEN.finditer(text, start, end):
        if len(asns) == MAX_AS_PATH:
            message = (
                f"AS path longer than {MAX_AS_PATH:,} ASNs (expected a path a BGP router accepts: "
                "maxas-limit defaults are 75 to 300)"
            )
            if line is None:
                raise InputError.at(origin, message)
            raise InputError(origin.file, message, line, match.start() + 1)
        token = match.group()
        if len(token) > 10 or not is_ascii_number(token):
            raise InputError.at(origin, f"expected an AS path like '65515 11111', got {shown(token)}")
        asns.append(int(token))
    return tuple(asns)
