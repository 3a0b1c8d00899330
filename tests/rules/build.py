"""Build the rule fixtures: per rule, a design that triggers it (bad) and the corrected design (good).

    python tests/rules/build.py     # rewrites ACnnn/{bad,good}.{yaml,json} and ACnnn/anycast-lint.yaml

Every pair starts from one of the field report's designs in examples/ — design A (hub-and-spoke) or
design B (vwan-indirect-spokes), both clean — and changes the one thing the rule is about; the good design
is the fix the rule's help page recommends. Each design is written in the native format (YAML) and as an
ARM REST export (`{"value": [...]}`, written by to_arm.py from what the native loader read), so the rules
are tested on both inputs. The test suite regenerates everything and fails if a committed file differs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from to_arm import arm_text  # noqa: E402

from conftest import example_design, named  # noqa: E402

Design = dict[str, Any]
CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n"
# The four files of a folder are four designs: a folder scan checks each on its own.
DESIGNS = "designs:\n" + "".join(
    f"  {name}: [{file}]\n"
    for name, file in (("bad", "bad.yaml"), ("bad-arm", "bad.json"), ("good", "good.yaml"), ("good-arm", "good.json"))
)


def vnet(design: Design, name: str) -> dict[str, Any]:
    return named(design["virtualNetworks"], name)


def hub(design: Design, name: str) -> dict[str, Any]:
    return named(design["virtualHubs"], name)


def resolver(design: Design, name: str) -> dict[str, Any]:
    return named(design["dnsResolvers"], name)


def nsg(design: Design, name: str) -> dict[str, Any]:
    return named(design["networkSecurityGroups"], name)


# --- the changes ------------------------------------------------------------------------------------


def connect_members_directly(design: Design) -> None:
    for index in (1, 2):
        hub(design, f"hub-0{index}")["virtualNetworkConnections"].append(
            {"name": f"conn-dns-0{index}", "remoteVirtualNetwork": f"dns-0{index}"}
        )


def keep_as_is(design: Design) -> None:
    """The design is fine; the configuration around it is what the rule objects to."""


def shorten_second_member(design: Design) -> None:
    vnet(design, "dns-02")["addressSpace"] = ["10.13.76.0/25"]


def second_endpoint_off_vip(design: Design) -> None:
    resolver(design, "dnspr-02")["inboundEndpoints"][0]["ipConfigurations"][0]["privateIPAddress"] = "10.13.76.5"


def renumber_anycast(design: Design) -> None:
    """Move the service to 10.99.76.0/24, clear of on-premises 10.13.0.0/16."""
    for name in ("dns-01", "dns-02"):
        member = vnet(design, name)
        member["addressSpace"] = ["10.99.76.0/24"]
        member["subnets"][0]["addressPrefix"] = "10.99.76.0/28"
    for name in ("dnspr-01", "dnspr-02"):
        resolver(design, name)["inboundEndpoints"][0]["ipConfigurations"][0]["privateIPAddress"] = "10.99.76.4"
    for group in design["networkSecurityGroups"]:
        named(group["securityRules"], "allow-dns-inbound")["destinationAddressPrefix"] = "10.99.76.4"


def drop_member_route_table(design: Design) -> None:
    del vnet(design, "dns-01")["subnets"][0]["routeTable"]


def drop_static_route(design: Design) -> None:
    routing = hub(design, "hub-01")["virtualNetworkConnections"][0]["routingConfiguration"]
    del routing["staticRoutes"]


def stop_propagating_static_routes(design: Design) -> None:
    hub(design, "hub-01")["virtualNetworkConnections"][0]["routingConfiguration"]["propagateStaticRoutes"] = False


def stop_using_remote_gateways(design: Design) -> None:
    vnet(design, "dns-02")["peerings"][0]["useRemoteGateways"] = False


def block_forwarded_traffic(design: Design) -> None:
    vnet(design, "dns-01")["peerings"][0]["allowForwardedTraffic"] = False


def outbound_endpoint_in_member(design: Design) -> None:
    vnet(design, "dns-01")["subnets"].append(
        {
            "name": "snet-dns-outbound",
            "addressPrefix": "10.13.76.16/28",
            "delegations": ["Microsoft.Network/dnsResolvers"],
        }
    )
    resolver(design, "dnspr-01")["outboundEndpoints"] = [{"name": "outbound", "subnet": "snet-dns-outbound"}]


def outbound_endpoint_in_hub(design: Design) -> None:
    """A separate resolver for outbound forwarding, in the hub (unique addresses)."""
    vnet(design, "hub-01")["subnets"].append(
        {
            "name": "snet-dns-outbound",
            "addressPrefix": "192.168.129.0/28",
            "delegations": ["Microsoft.Network/dnsResolvers"],
        }
    )
    design["dnsResolvers"].append(
        {
            "name": "dnspr-outbound-01",
            "region": "westeurope",
            "virtualNetwork": "hub-01",
            "outboundEndpoints": [{"name": "outbound", "subnet": "snet-dns-outbound"}],
        }
    )


def _vm_subnet(design: Design) -> None:
    vnet(design, "dns-01")["subnets"].append(
        {"name": "snet-dns-vm", "addressPrefix": "10.13.76.32/28", "networkSecurityGroup": "nsg-dns-inbound-01"}
    )


def _nic(name: str, subnet: str, address: str, primary: bool) -> dict[str, Any]:
    return {
        "name": name,
        "region": "westeurope",
        "virtualMachine": "dns-vm-01",
        "ipConfigurations": [
            {"name": "ipconfig1", "subnet": subnet, "privateIPAddress": address, "primary": primary},
        ],
    }


def vm_only_in_anycast_range(design: Design) -> None:
    _vm_subnet(design)
    design["networkInterfaces"] = [_nic("nic-dns-vm-01", "dns-01/snet-dns-vm", "10.13.76.36", True)]


def vm_with_unique_nic(design: Design) -> None:
    """A per-region address space in the member VNet, and a second NIC in it."""
    _vm_subnet(design)
    member = vnet(design, "dns-01")
    member["addressSpace"].append("10.50.1.0/28")
    member["subnets"].append({"name": "snet-dns-mgmt", "addressPrefix": "10.50.1.0/28"})
    design["networkInterfaces"] = [
        _nic("nic-dns-vm-01", "dns-01/snet-dns-vm", "10.13.76.36", True),
        _nic("nic-dns-vm-01-mgmt", "dns-01/snet-dns-mgmt", "10.50.1.4", False),
    ]


def _prepend(design: Design, asn: str) -> None:
    route_map = named(hub(design, "hub-01")["routeMaps"], "rm-prepend-anycast")
    route_map["rules"][0]["actions"][0]["parameters"][0]["asPath"] = [asn]


def prepend_reserved_asn(design: Design) -> None:
    _prepend(design, "12076")


def _member_route_table(design: Design, routes: list[dict[str, Any]]) -> None:
    design["routeTables"] = [
        {"name": "rt-dns-01", "region": "westeurope", "disableBgpRoutePropagation": True, "routes": routes}
    ]
    vnet(design, "dns-01")["subnets"][0]["routeTable"] = "rt-dns-01"


def stop_gateway_route_propagation(design: Design) -> None:
    _member_route_table(design, [])


def propagate_gateway_routes(design: Design) -> None:
    """The route table propagates the gateway's routes again (an ExpressRoute gateway cannot be a UDR next hop)."""
    _member_route_table(design, [])
    design["routeTables"][0]["disableBgpRoutePropagation"] = False


def fastpath_on(design: Design) -> None:
    named(design["virtualNetworkGateways"], "ergw-hub-01")["sku"] = "ErGw3AZ"  # FastPath needs ErGw3AZ or Ultra
    named(design["connections"], "ergw-hub-01-er-circuit")["expressRouteGatewayBypass"] = True


def local_circuit(design: Design) -> None:
    design["expressRouteCircuits"][0]["skuTier"] = "Local"


def standard_circuit(design: Design) -> None:
    """A Standard circuit: every region of Europe, Amsterdam's geopolitical region."""
    design["expressRouteCircuits"][0]["skuTier"] = "Standard"


def _many_prefix_spoke(design: Design) -> None:
    """An application spoke on hub-01 whose address space lists 1,000 /24s (10.100.0.0 to 10.103.231.0)."""
    prefixes = [f"10.{100 + i // 256}.{i % 256}.0/24" for i in range(1000)]
    design["virtualNetworks"].append(
        {
            "name": "app-01",
            "region": "westeurope",
            "addressSpace": prefixes,
            "peerings": [{"name": "app-01-to-hub-01", "remoteVirtualNetwork": "hub-01", "useRemoteGateways": True}],
        }
    )
    vnet(design, "hub-01")["peerings"].append(
        {"name": "hub-01-to-app-01", "remoteVirtualNetwork": "app-01", "allowGatewayTransit": True}
    )


def summarize_application_spoke(design: Design) -> None:
    """The hub advertises summaries instead: its own space and 10.100.0.0/14 (the anycast prefix stays out)."""
    _many_prefix_spoke(design)
    vnet(design, "hub-01")["summarizedGatewayPrefixes"] = ["192.168.128.0/23", "10.100.0.0/14"]


def allow_outbound(design: Design) -> None:
    rules = nsg(design, "nsg-dns-inbound-01")["securityRules"]
    rules.remove(named(rules, "deny-outbound-private"))


# --- the cases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    base: str  # an example design folder
    bad: Callable[[Design], None]
    why: str  # what the bad design gets wrong, for its header comment
    good: Callable[[Design], None] | None = None  # None: the example as it is
    config: str = CONFIG


CASES: dict[str, Case] = {
    "AC102": Case(
        "vwan-indirect-spokes",
        connect_members_directly,
        "both DNS VNets (10.13.76.0/24) are also connected to the hubs directly",
    ),
    "AC103": Case("hub-and-spoke", shorten_second_member, "dns-02 announces 10.13.76.0/25, dns-01 10.13.76.0/24"),
    "AC104": Case("hub-and-spoke", second_endpoint_off_vip, "dnspr-02 answers on 10.13.76.5, not on the VIP"),
    "AC105": Case(
        "hub-and-spoke",
        keep_as_is,
        "on-premises also uses 10.13.0.0/16 (see anycast-lint.yaml), which holds the anycast range",
        renumber_anycast,
        # no VIP here: the good design moves it, and both designs answer on one address (it is inferred)
        "onprem:\n  prefixes: [172.16.0.0/12, 10.13.0.0/16]\n",
    ),
    "AC201": Case("vwan-indirect-spokes", drop_member_route_table, "dns-01's resolver subnet has no route table"),
    "AC202": Case("vwan-indirect-spokes", drop_static_route, "conn-transit-01 has no static route to dns-01"),
    "AC203": Case(
        "vwan-indirect-spokes", stop_propagating_static_routes, "conn-transit-01 does not propagate static routes"
    ),
    "AC204": Case("hub-and-spoke", stop_using_remote_gateways, "dns-02's peering does not use the hub's gateway"),
    "AC205": Case(
        "vwan-indirect-spokes", block_forwarded_traffic, "dns-01's peering to transit-01 refuses forwarded traffic"
    ),
    "AC206": Case(
        "hub-and-spoke",
        local_circuit,
        "er-circuit is an ExpressRoute Local circuit in Amsterdam, and hub-02 is in northeurope",
        standard_circuit,
    ),
    "AC207": Case(
        "hub-and-spoke",
        stop_gateway_route_propagation,
        "dns-01's resolver subnet has a route table with gateway route propagation off and no route to on-premises",
        propagate_gateway_routes,
    ),
    "AC307": Case(
        "vwan-indirect-spokes",
        prepend_reserved_asn,
        "hub-01's route map prepends 12076, Microsoft's own ASN, to make region 1 less preferred",
    ),
    "AC308": Case(
        "hub-and-spoke",
        _many_prefix_spoke,
        "an application spoke on hub-01 adds 1,000 prefixes to what ergw-hub-01 advertises",
        summarize_application_spoke,
    ),
    "AC404": Case(
        "hub-and-spoke",
        fastpath_on,
        "ergw-hub-01's connection has FastPath on, and dns-01 behind it hosts a DNS Private Resolver",
    ),
    "AC401": Case(
        "hub-and-spoke",
        outbound_endpoint_in_member,
        "dnspr-01 has an outbound endpoint inside the anycast VNet",
        outbound_endpoint_in_hub,
    ),
    "AC402": Case(
        "hub-and-spoke",
        vm_only_in_anycast_range,
        "VM dns-vm-01 has a single NIC, in the anycast range",
        vm_with_unique_nic,
    ),
    "AC403": Case("hub-and-spoke", allow_outbound, "nsg-dns-inbound-01 has no outbound deny"),
}


class _PlainDumper(yaml.SafeDumper):
    """No anchors: the examples share NSG rule lists with an alias, the fixtures spell each one out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(design: Design, header: str) -> str:
    body = yaml.dump(design, Dumper=_PlainDumper, sort_keys=False, default_flow_style=None, width=120)
    return header + body


def built() -> dict[str, str]:
    """Relative path -> text of every generated file."""
    files: dict[str, str] = {}
    for code, case in CASES.items():
        bad, good = example_design(case.base), example_design(case.base)
        case.bad(bad)
        if case.good is not None:
            case.good(good)
        fix = (case.good.__doc__ or "").strip() if case.good else f"examples/{case.base} as it is"
        bad["metadata"] = {"name": f"{code}-bad", "description": f"Triggers {code}: {case.why}."}
        good["metadata"] = {"name": f"{code}-good", "description": f"The {code} fix: {fix}"}
        generated = f"# Generated by tests/rules/build.py from examples/{case.base}: do not edit.\n"
        files[f"{code}/bad.yaml"] = _yaml(bad, generated)
        files[f"{code}/good.yaml"] = _yaml(good, generated)
        files[f"{code}/anycast-lint.yaml"] = case.config + DESIGNS
    return files


def write_all() -> dict[str, str]:
    """Write the YAML designs, then their ARM twins (read back with anycast-lint's own loader)."""
    files = built()
    for relative, text in files.items():
        (HERE / relative).parent.mkdir(exist_ok=True)
        (HERE / relative).write_text(text, encoding="utf-8")
    for relative in [r for r in files if r.endswith(("bad.yaml", "good.yaml"))]:
        twin = relative.replace(".yaml", ".json")
        files[twin] = arm_text(str(HERE / relative))
        (HERE / twin).write_text(files[twin], encoding="utf-8")
    return files


if __name__ == "__main__":
    write_all()
