"""Clouds, custom endpoints and the credential: where a live scan connects, and as whom.

The credential is always `DefaultAzureCredential` (environment variables, workload identity for GitHub
OIDC, managed identity, `az login`): no secret is ever taken on the command line.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from azure.core.credentials import AccessToken, TokenCredential
from azure.core.exceptions import ClientAuthenticationError

from anycast_lint.inputs.live.options import CLOUDS
from anycast_lint.inputs.live.records import describe_error
from anycast_lint.model.secrets import SECRETS

# The Azure SDK logs failures (a credential that got no token) as warnings; with no handler configured
# Python would print them to stderr beside our own one-line error. The error says it once.
logging.getLogger("azure").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Endpoints:
    """Where to connect: Resource Manager and the authority that issues its tokens."""

    arm: str
    authority: str
    custom_authority: bool = False

    @property
    def scope(self) -> str:
        return f"{self.arm}/.default"

    @classmethod
    def resolve(cls, cloud: str, arm_endpoint: str | None, authority_host: str | None) -> Endpoints:
        arm, authority = CLOUDS[cloud]
        return cls(
            arm=(arm_endpoint or arm).rstrip("/"),
            authority=(authority_host or authority).rstrip("/"),
            custom_authority=authority_host is not None,
        )


class _TenantCredential:
    """Asks every token for one tenant (`--tenant`): DefaultAzureCredential has no tenant of its own."""

    def __init__(self, inner: TokenCredential, tenant: str):
        self._inner = inner
        self._tenant = tenant

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        kwargs.setdefault("tenant_id", self._tenant)
        return self._inner.get_token(*scopes, **kwargs)


def credential(endpoints: Endpoints, tenant: str | None) -> TokenCredential:
    """DefaultAzureCredential for the endpoints' authority.

    With a custom authority (Azure Stack, a private test endpoint) MSAL's instance discovery would ask
    the public login host whether the authority is known; `disable_instance_discovery=True` keeps every
    request on the given host (documented for azure-identity's credentials).
    """
    SECRETS.register(os.environ.get("AZURE_CLIENT_SECRET"))  # never echoed, even inside an SDK message
    options: dict[str, Any] = {"authority": endpoints.authority}
    if endpoints.custom_authority:
        options["disable_instance_discovery"] = True
    if tenant:
        options["additionally_allowed_tenants"] = [tenant]
    from azure.identity import DefaultAzureCredential

    base = DefaultAzureCredential(**options)
    return _TenantCredential(base, tenant) if tenant else base


# What to do comes first (it fits in the first 120 characters of the error line); why follows.
NO_TOKEN = "no Azure token: run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_CLIENT_SECRET"
_AADSTS = re.compile(r"AADSTS\d+: [^'\"\r\n]*?\.(?=['\"\s]|$)")  # Entra's code and first sentence


def token_failure(error: ClientAuthenticationError, verbose: bool) -> str:
    """One line: the fix, then the Entra error (AADSTS…) when one answered; -v adds every credential's answer.

    DefaultAzureCredential tries several credentials and its message lists each (about 900 characters):
    that is the detail `-v` gives, not the first thing a user reads."""
    found = _AADSTS.search(str(error))
    if verbose:
        return f"{NO_TOKEN} (README 'Live scan'): {describe_error(error)}"
    reason = f": {found.group(0)}" if found else " (-v shows what each credential answered)"
    return f"{NO_TOKEN} (README 'Live scan'){reason}"
