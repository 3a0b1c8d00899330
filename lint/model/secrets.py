"""Values that must never leave the process: shared keys, authorization keys, secure parameters.

The model never stores them; sources that pass them by (a connection's `sharedKey`, an ExpressRoute
connection's `authorizationKey`, a circuit's `serviceKey`, a template's securestring parameters)
register them here, and everything the CLI prints goes through `redact` as a last line of defence.
"""

from __future__ import annotations

import re
from typing import Any

SECRET_PROPERTIES = frozenset(
    {"sharedkey", "authorizationkey", "servicekey", "authkey", "password", "adminpassword", "secret"}
)
REDACTED = "***"


class SecretRegistry:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def register(self, value: Any) -> None:
        if isinstance(value, str) and len(value.strip()) >= 4:
            self._values.add(value)
            self._pattern = None

    def register_properties(self, properties: Any) -> None:
        """Register the secret-named properties of one object (not recursive: callers know where to look)."""
        if isinstance(properties, dict):
            for key, value in properties.items():
                if key.lower() in SECRET_PROPERTIES:
                    self.register(value)

    def redact(self, text: str) -> str:
        if not self._values:
            return text
        if self._pattern is None:
            alternatives = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in alternatives))
        return self._pattern.sub(REDACTED, text)

    def clear(self) -> None:
        self._values.clear()
        self._pattern = None


SECRETS = SecretRegistry()
