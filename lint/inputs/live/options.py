"""What a live read is asked for: the options and the clouds they name.

Kept apart from the reader so that a scan of files, which still builds these options, does not import
the Azure SDK (0.1 s of every start-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Resource Manager endpoint and Microsoft Entra authority of each national cloud
# (https://learn.microsoft.com/azure/azure-government/documentation-government-developer-guide,
# https://learn.microsoft.com/azure/china/resources-developer-guide); the authorities are azure-identity's
# AzureAuthorityHosts values, written out so that a scan of files never imports azure.identity (0.25 s).
# The token audience is the Resource Manager endpoint itself (`{arm}/.default`), as azure-identity's
# sovereign-cloud examples ask for it (documented).
CLOUDS: dict[str, tuple[str, str]] = {
    "AzureCloud": ("https://management.azure.com", "login.microsoftonline.com"),
    "AzureUSGovernment": ("https://management.usgovcloudapi.net", "login.microsoftonline.us"),
    "AzureChinaCloud": ("https://management.chinacloudapi.cn", "login.chinacloudapi.cn"),
}

# Observed routes (`--observed-routes`): not read, an optional layer (a refusal is stated, the topology
# is kept), or required (a refusal is a gap: exit 2 unless --allow-partial).
OBSERVED_MODES = ("off", "optional", "required")
DEFAULT_OPERATION_TIMEOUT = 120.0  # seconds one route-table listing (a long-running POST) may take


@dataclass(frozen=True)
class LiveOptions:
    subscriptions: tuple[str, ...] = ()
    tenant: str | None = None
    cloud: str = "AzureCloud"
    arm_endpoint: str | None = None
    authority_host: str | None = None
    observed_routes: str = "off"  # one of OBSERVED_MODES
    allow_partial: bool = False
    use_graph: bool = True
    workers: int = 8
    retry: dict[str, float] = field(default_factory=dict)  # overrides of CLIENT_OPTIONS' retry settings
    management_group: str | None = None
    timeout: float | None = None  # the whole read, in seconds (--timeout)
    operation_timeout: float = DEFAULT_OPERATION_TIMEOUT
    api_versions: tuple[str, ...] = ()  # TYPE=VERSION overrides (--api-version), after the environment's
    verbose: bool = False  # -v: the SDK's own words after our one-line errors

    @property
    def wants_observed(self) -> bool:
        return self.observed_routes != "off"
