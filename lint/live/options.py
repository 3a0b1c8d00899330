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
CLOUDS: dict[str, tuple[str, str]] = {
    "AzureCloud": ("https://management.azure.com", "login.microsoftonline.com"),
    "AzureUSGovernment": ("https://management.usgovcloudapi.net", "login.microsoftonline.us"),
    "AzureChinaCloud": ("https://management.chinacloudapi.cn", "login.chinacloudapi.cn"),
}


@dataclass(frozen=True)
class LiveOptions:
    subscriptions: tuple[str, ...] = ()
    tenant: str | None = None
    cloud: str = "AzureCloud"
    arm_endpoint: str | None = None
    authority_host: str | None = None
    observed_routes: bool = False
    allow_partial: bool = False
    use_graph: bool = True
    workers: int = 8
    retry: dict[str, float] = field(default_factory=dict)  # overrides of CLIENT_OPTIONS' retry settings
