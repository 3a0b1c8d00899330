"""The semantics of the design rules (AC1xx, AC2xx, AC4xx) on variants of the field report's designs.

Each test changes one thing in design A (hub-and-spoke) or design B (vwan-indirect-spokes), scans it
with the rules concerned, and checks what a network engineer would see: prefix coverage by math, the
forwarder behind a next hop, NSG evaluation in Azure's order, and unknown values reported as notes rather
than passed or failed.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, example_design, named, run_cli, scan_design

Design = dict[str, Any]
CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n"


def _scan(
    tmp_path: Path,
    base: str,
    change: Callable[[Design], None],
    select: str,
    config: str = CONFIG,
) -> list[dict[str, Any]]:
    design = example_design(base)
    change(design)
    return scan_design(tmp_path, design, config, select)


def _brief(findings: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(code, level, last segment of the resource id)."""
    return [(f["code"], f["level"], f["resource"].rsplit("/", 1)[1]) for f in findings]


# --- AC201: the indirect spoke's return route --------------------------------------------------------


def _routes(design: Design, table: str = "rt-dns-01") -> list[dict[str, Any]]:
    routes: list[dict[str, Any]] = named(design["routeTables"], table)["routes"]
    return routes


def test_udr_for_a_supernet_covers_narrower_onprem_ranges(tmp_path: Path) -> None:
    config = "onprem:\n  prefixes: [172.16.10.0/24, 172.20.0.0/16]\n"
    assert _scan(tmp_path, "vwan-indirect-spokes", lambda d: None, "AC201", config) == []


def test_more_specific_udr_elsewhere_breaks_that_part_of_onprem(tmp_path: Path) -> None:
    def add_exception(design: Design) -> None:
        _routes(design).append({"name": "lab", "addressPrefix": "172.16.20.0/24", "nextHopType": "Internet"})

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", add_exception, "AC201")
    assert _brief([finding]) == [("AC201", "error", "lab")]
    assert "sends 172.16.20.0/24 (part of on-premises 172.16.0.0/12) to Internet" in finding["message"]


def test_udr_to_another_address_than_the_firewall(tmp_path: Path) -> None:
    def elsewhere(design: Design) -> None:
        _routes(design)[0]["nextHopIpAddress"] = "10.1.0.9"

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", elsewhere, "AC201")
    assert _brief([finding]) == [("AC201", "error", "onprem-via-firewall")]
    assert (
        "sends on-premises 172.16.0.0/12 to VirtualAppliance 10.1.0.9, not to the forwarder 10.1.0.4"
        in (finding["message"])
    )


def test_udr_missing_for_onprem_names_the_route_to_add(tmp_path: Path) -> None:
    def only_ten(design: Design) -> None:
        _routes(design)[0]["addressPrefix"] = "10.0.0.0/8"

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", only_ten, "AC201")
    assert _brief([finding]) == [("AC201", "error", "rt-dns-01")]
    assert "add route 172.16.0.0/12 -> VirtualAppliance 10.1.0.4 to route table rt-dns-01" in finding["message"]


# --- AC202: the static route on the transit connection -----------------------------------------------


def _static(design: Design, hub: str = "hub-01") -> dict[str, Any]:
    connection = named(design["virtualHubs"], hub)["virtualNetworkConnections"][0]
    route: dict[str, Any] = connection["routingConfiguration"]["staticRoutes"][0]
    return route


def test_static_route_for_a_supernet_covers_the_member(tmp_path: Path) -> None:
    def widen(design: Design) -> None:
        _static(design)["addressPrefixes"] = ["10.13.76.0/23"]

    assert _scan(tmp_path, "vwan-indirect-spokes", widen, "AC202,AC203") == []


def test_static_route_narrower_than_the_member_does_not_cover_it(tmp_path: Path) -> None:
    def narrow(design: Design) -> None:
        _static(design)["addressPrefixes"] = ["10.13.76.0/25"]

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", narrow, "AC202")
    assert _brief([finding]) == [("AC202", "error", "conn-transit-01")]
    assert "has no static route covering 10.13.76.0/24 of member 'dns-01'" in finding["message"]
    assert "Add static route 10.13.76.0/24 -> 10.1.0.4 with propagateStaticRoutes on" in finding["message"]


def test_static_route_next_hop_outside_the_transit_vnet(tmp_path: Path) -> None:
    def outside(design: Design) -> None:
        _static(design)["nextHopIpAddress"] = "10.9.0.4"

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", outside, "AC202")
    assert (
        "sends 10.13.76.0/24 to 10.9.0.4, which is not inside transit 'transit-01' (10.1.0.0/24)"
        in (finding["message"])
    )


def test_static_route_next_hop_that_is_no_forwarder(tmp_path: Path) -> None:
    def stray(design: Design) -> None:
        _static(design)["nextHopIpAddress"] = "10.1.0.9"

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", stray, "AC202")
    assert finding["level"] == "error"
    assert (
        "10.1.0.9, which is not the address of a firewall, NVA or IP-forwarding NIC in 'transit-01'"
        in (finding["message"])
    )
    assert "(forwarders: 10.1.0.4 (Azure Firewall 'azfw-transit-01'))" in finding["message"]


def _nva_instead_of_firewall(forwarding: bool) -> Callable[[Design], None]:
    def change(design: Design) -> None:
        design["azureFirewalls"] = [f for f in design["azureFirewalls"] if f["name"] != "azfw-transit-01"]
        named(design["virtualNetworks"], "transit-01")["subnets"].append(
            {"name": "snet-nva", "addressPrefix": "10.1.0.64/26"}
        )
        design["networkInterfaces"] = [
            {
                "name": "nic-nva-01",
                "enableIPForwarding": forwarding,
                "ipConfigurations": [
                    {"name": "ipconfig1", "subnet": "transit-01/snet-nva", "privateIPAddress": "10.1.0.68"}
                ],
            }
        ]
        _static(design)["nextHopIpAddress"] = "10.1.0.68"
        _routes(design)[0]["nextHopIpAddress"] = "10.1.0.68"

    return change


def test_nic_with_ip_forwarding_is_a_forwarder(tmp_path: Path) -> None:
    assert _scan(tmp_path, "vwan-indirect-spokes", _nva_instead_of_firewall(True), "AC2") == []


def test_nic_without_ip_forwarding_is_not(tmp_path: Path) -> None:
    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", _nva_instead_of_firewall(False), "AC202")
    assert finding["level"] == "error"
    assert (
        "10.1.0.68, the address of NIC 'nic-nva-01' in 'transit-01', which has IP forwarding off"
        in (finding["message"])
    )


def test_forwarder_not_in_the_input_is_an_unknown_note(tmp_path: Path) -> None:
    def no_firewalls(design: Design) -> None:
        del design["azureFirewalls"]

    findings = _scan(tmp_path, "vwan-indirect-spokes", no_firewalls, "AC202")
    assert _brief(findings) == [("AC202", "note", "conn-transit-01"), ("AC202", "note", "conn-transit-02")]
    assert (
        "cannot tell whether 10.1.0.4 (static route 'anycast-dns' on 'conn-transit-01') forwards packets"
        in (findings[0]["message"])
    )


# --- AC203: propagation ---------------------------------------------------------------------------


def test_propagation_flag_not_set_is_an_unknown_note(tmp_path: Path) -> None:
    def unset(design: Design) -> None:
        del named(design["virtualHubs"], "hub-02")["virtualNetworkConnections"][0]["routingConfiguration"][
            "propagateStaticRoutes"
        ]

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", unset, "AC203")
    assert _brief([finding]) == [("AC203", "note", "conn-transit-02")]
    assert "propagateStaticRoutes is not set on hub connection 'conn-transit-02'" in finding["message"]


def test_propagation_to_a_table_expressroute_does_not_learn_from(tmp_path: Path) -> None:
    def elsewhere(design: Design) -> None:
        hub = named(design["virtualHubs"], "hub-01")
        hub["routeTables"] = [{"name": "rt-isolated", "labels": ["isolated"]}]
        hub["virtualNetworkConnections"][0]["routingConfiguration"]["propagatedRouteTables"] = {
            "ids": ["rt-isolated"],
            "labels": ["isolated"],
        }

    (finding,) = _scan(tmp_path, "vwan-indirect-spokes", elsewhere, "AC203")
    assert _brief([finding]) == [("AC203", "error", "conn-transit-01")]
    assert (
        "to route tables [rt-isolated] and labels [isolated], but the ExpressRoute connections learn from"
        in (finding["message"])
    )
    assert "[defaultRouteTable]" in finding["message"]


# --- AC403: NSG evaluation ------------------------------------------------------------------------


def _nsg_rules(design: Design) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = named(design["networkSecurityGroups"], "nsg-dns-inbound-01")["securityRules"]
    return rules


def _outbound(name: str, access: str, priority: int, **fields: Any) -> dict[str, Any]:
    rule = {
        "name": name,
        "direction": "Outbound",
        "access": access,
        "priority": priority,
        "protocol": "*",
        "sourceAddressPrefix": "*",
        "destinationPortRange": "*",
    }
    rule.update(fields)
    return rule


def test_allow_above_the_deny_opens_new_flows(tmp_path: Path) -> None:
    def allow_https(design: Design) -> None:
        _nsg_rules(design).append(
            _outbound(
                "allow-https-onprem",
                "Allow",
                3000,
                protocol="Tcp",
                destinationAddressPrefix="172.16.10.0/24",
                destinationPortRange="443",
            )
        )

    (finding,) = _scan(tmp_path, "hub-and-spoke", allow_https, "AC403")
    assert _brief([finding]) == [("AC403", "warning", "nsg-dns-inbound-01")]
    assert "172.16.0.0/12 by rule allow-https-onprem (priority 3000)" in finding["message"]


def test_allow_below_the_deny_changes_nothing(tmp_path: Path) -> None:
    def allow_late(design: Design) -> None:
        _nsg_rules(design).append(_outbound("allow-late", "Allow", 4096, destinationAddressPrefix="172.16.10.0/24"))

    assert _scan(tmp_path, "hub-and-spoke", allow_late, "AC403") == []


def test_deny_by_service_tag_virtual_network_covers_onprem(tmp_path: Path) -> None:
    def tag(design: Design) -> None:
        rules = _nsg_rules(design)
        rules[:] = [r for r in rules if r["direction"] == "Inbound"]
        rules.append(_outbound("deny-vnet", "Deny", 4000, destinationAddressPrefix="VirtualNetwork"))

    assert _scan(tmp_path, "hub-and-spoke", tag, "AC403") == []


def test_deny_for_tcp_only_lets_udp_through(tmp_path: Path) -> None:
    def tcp_only(design: Design) -> None:
        named(_nsg_rules(design), "deny-outbound-private")["protocol"] = "Tcp"

    (finding,) = _scan(tmp_path, "hub-and-spoke", tcp_only, "AC403")
    assert "172.16.0.0/12 by default rule AllowVnetOutBound (priority 65000)" in finding["message"]


def test_deny_with_a_singular_prefix_covers_only_that_prefix(tmp_path: Path) -> None:
    def ten_only(design: Design) -> None:
        rule = named(_nsg_rules(design), "deny-outbound-private")
        del rule["destinationAddressPrefixes"]
        rule["destinationAddressPrefix"] = "10.0.0.0/8"

    (finding,) = _scan(tmp_path, "hub-and-spoke", ten_only, "AC403")
    assert "172.16.0.0/12 by default rule AllowVnetOutBound" in finding["message"]
    assert "10.0.0.0/8 by" not in finding["message"]


def test_vip_subnet_without_nsg(tmp_path: Path) -> None:
    def bare(design: Design) -> None:
        del named(design["virtualNetworks"], "dns-02")["subnets"][0]["networkSecurityGroup"]

    (finding,) = _scan(tmp_path, "hub-and-spoke", bare, "AC403")
    assert _brief([finding]) == [("AC403", "warning", "snet-dns-inbound")]
    assert "subnet 'dns-02/snet-dns-inbound' (service 'dns') has no network security group" in finding["message"]


# --- AC102, AC104, AC105, AC402 -------------------------------------------------------------------


def test_vip_outside_every_member(tmp_path: Path) -> None:
    config = "services:\n  dns:\n    vip: 10.13.77.4\n"
    findings = _scan(tmp_path, "hub-and-spoke", lambda d: None, "AC104", config)
    assert _brief(findings) == [("AC104", "error", "dns-01"), ("AC104", "error", "dns-02")]
    assert "VIP 10.13.77.4 of service 'dns' is outside member 'dns-01' (10.13.76.0/24)" in findings[0]["message"]


def test_onprem_not_configured_is_one_unknown_note(tmp_path: Path) -> None:
    findings = _scan(tmp_path, "vwan-indirect-spokes", lambda d: None, "AC105,AC201", "services: {}\n")
    assert _brief(findings) == [("AC105", "note", "dns-01")]
    assert "on-premises ranges are not configured" in findings[0]["message"]


def test_direct_overlap_of_vnets_that_are_not_anycast_is_ac101s(tmp_path: Path) -> None:
    def apps(design: Design) -> None:
        for index in (1, 2):
            design["virtualNetworks"].append(
                {"name": f"app-0{index}", "region": "westeurope", "addressSpace": ["10.50.0.0/24"]}
            )
            named(design["virtualHubs"], f"hub-0{index}")["virtualNetworkConnections"].append(
                {"name": f"conn-app-0{index}", "remoteVirtualNetwork": f"app-0{index}"}
            )

    codes = {f["code"] for f in _scan(tmp_path, "vwan-indirect-spokes", apps, "AC101,AC102")}
    assert codes == {"AC101"}


def _vm(ip: str | None) -> Callable[[Design], None]:
    def change(design: Design) -> None:
        named(design["virtualNetworks"], "dns-01")["subnets"].append(
            {"name": "snet-vm", "addressPrefix": "10.13.76.32/28", "networkSecurityGroup": "nsg-dns-inbound-01"}
        )
        config: dict[str, Any] = {"name": "ipconfig1", "subnet": "dns-01/snet-vm"}
        if ip:
            config["privateIPAddress"] = ip
        design["networkInterfaces"] = [{"name": "nic-vm-01", "virtualMachine": "vm-01", "ipConfigurations": [config]}]

    return change


def test_vm_with_a_dynamic_address_in_an_anycast_subnet(tmp_path: Path) -> None:
    (finding,) = _scan(tmp_path, "hub-and-spoke", _vm(None), "AC402")
    assert _brief([finding]) == [("AC402", "warning", "vm-01")]


def test_vm_nic_in_a_subnet_missing_from_an_export_is_an_unknown_note(tmp_path: Path) -> None:
    export = json.loads((EXAMPLES.parent / "tests/rules/AC402/bad.json").read_text(encoding="utf-8"))
    nic = next(r for r in export["value"] if r["type"] == "Microsoft.Network/networkInterfaces")
    second = copy.deepcopy(nic)
    second["name"] = "nic-dns-vm-01-mgmt"
    second["id"] = nic["id"] + "-mgmt"
    config = second["properties"]["ipConfigurations"][0]
    config["id"] = second["id"] + "/ipConfigurations/ipconfig1"
    config["properties"]["subnet"]["id"] = nic["id"].split("/providers/")[0] + (
        "/providers/Microsoft.Network/virtualNetworks/mgmt-01/subnets/snet-mgmt"
    )
    config["properties"]["privateIPAddress"] = "10.60.0.4"
    export["value"].append(second)
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    run = run_cli("scan", "export.json", "--format", "json", "--select", "AC402", cwd=tmp_path)
    (finding,) = json.loads(run.stdout)["findings"]
    assert _brief([finding]) == [("AC402", "note", "dns-vm-01")]
    assert "subnet" in finding["message"] and "mgmt-01/subnets/snet-mgmt" in finding["message"]
    assert "is not in the input" in finding["message"]


# --- the hidden peering of a hub connection ----------------------------------------------------------


def test_hidden_hub_peerings_in_an_export_leave_design_b_clean(tmp_path: Path) -> None:
    export = json.loads((EXAMPLES / "arm" / "vwan-indirect-spokes.json").read_text(encoding="utf-8"))
    for resource in export["value"]:
        if resource["type"] == "Microsoft.Network/virtualNetworks" and resource["name"].startswith("transit-"):
            hub = "hub-0" + resource["name"][-1]
            name = f"RemoteVnetToHubPeering_{hub}-5f1a6d9c"
            resource["properties"]["virtualNetworkPeerings"].append(
                {
                    "name": name,
                    "id": f"{resource['id']}/virtualNetworkPeerings/{name}",
                    "properties": {
                        "peeringState": "Connected",
                        "remoteVirtualNetwork": {
                            "id": f"/subscriptions/1b2c3d4e-0000-1111-2222-333344445555/resourceGroups/RG_{hub}_5f1a6d9c"
                            f"/providers/Microsoft.Network/virtualNetworks/HV_{hub}_5f1a6d9c"
                        },
                        "allowVirtualNetworkAccess": True,
                        "allowForwardedTraffic": True,
                        "useRemoteGateways": True,
                    },
                }
            )
    (tmp_path / "export.json").write_text(json.dumps(export), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    run = run_cli("scan", "export.json", "--format", "json", cwd=tmp_path)
    report = json.loads(run.stdout)
    assert (run.exit_code, report["findings"], report["unknowns"]) == (0, [], [])


def test_direct_overlap_reports_every_pair_with_a_member_nested_or_equal(tmp_path: Path) -> None:
    """A member connected directly overlaps a wide VNet that contains it and the other member with the same
    prefix; two overlapping VNets that are not members are AC101's, not AC102's."""

    def direct(design: Design) -> None:
        design["virtualNetworks"] += [
            {"name": "wide", "region": "westeurope", "addressSpace": ["10.0.0.0/8"]},
            {"name": "app-01", "region": "westeurope", "addressSpace": ["10.50.0.0/24"]},
        ]
        for hub, vnet in (("hub-01", "wide"), ("hub-01", "dns-01"), ("hub-02", "app-01"), ("hub-02", "dns-02")):
            named(design["virtualHubs"], hub)["virtualNetworkConnections"].append(
                {"name": f"conn-{vnet}", "remoteVirtualNetwork": vnet}
            )

    findings = _scan(tmp_path, "vwan-indirect-spokes", direct, "AC102")
    pairs = [(f["resource"].rsplit("/", 1)[1], f["message"].split(" of '")[1].split("'")[0]) for f in findings]
    assert pairs == [("conn-dns-01", "wide"), ("conn-dns-02", "wide"), ("conn-dns-02", "dns-01")]
