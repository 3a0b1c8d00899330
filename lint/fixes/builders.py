"""The fix pieces several rules share: a peering flag (AC204, AC205), a hub connection's routing in az
CLI and Terraform (AC202, AC203), a free name for a new child and its edit (AC201, AC403), a VNet's address
space (AC101, AC103, AC105), a resource removed (AC102, AC401), and `advice`. A fix that serves one rule
lives in that rule's module.

Each fix builds the change from the finding's evidence (the peering, the connection, the route table, the
prefix, the forwarder's address), in four forms: az CLI, Terraform azurerm, ARM, and edits of the input
file (native format and ARM REST). Values never come from a guess: where the evidence lacks one (a
forwarder address known only after apply), the edit is left out and the text says what to fill in.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import islice
from typing import Any

from anycast_lint.fixes import APPEND, REMOVE, SET, Change, Edit, Fix
from anycast_lint.fixes.snippets import arm_property, az, block, resource, resource_group
from anycast_lint.model.ids import id_name
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    HubVirtualNetworkConnection,
    IPNetwork,
    Peering,
    Resource,
    VirtualNetwork,
)

PEERING_TF = {
    "allowForwardedTraffic": "allow_forwarded_traffic",
    "useRemoteGateways": "use_remote_gateways",
    "allowGatewayTransit": "allow_gateway_transit",
}
PEERING_AZ = {
    "allowForwardedTraffic": "allow_forwarded_traffic",
    "useRemoteGateways": "use_remote_gateways",
    "allowGatewayTransit": "allow_gateway_transit",
}
# Virtual WAN and DNS resolver commands (az network vhub, az dns-resolver) come from az extensions; the
# core `az resource` commands change the same ARM properties without one.
PROPAGATE_ARM = ("properties", "routingConfiguration", "vnetRoutes", "staticRoutesConfig", "propagateStaticRoutes")


# --- peerings -------------------------------------------------------------------------------------


def peering_flag(peering: Peering, flag: str) -> Fix:
    """AC205 (allowForwardedTraffic), AC204 (useRemoteGateways, allowGatewayTransit)."""
    vnet = id_name(peering.vnet_id)
    group = resource_group(peering.id)
    return Fix(
        f"set {flag} to true on peering '{vnet}/{peering.name}'",
        az=az(
            "az network vnet peering update",
            resource_group=group,
            vnet_name=vnet,
            name=peering.name,
            **{PEERING_AZ[flag]: "true"},
        ),
        terraform=resource(
            "azurerm_virtual_network_peering",
            peering.name,
            ("name", peering.name),
            ("resource_group_name", group),
            ("virtual_network_name", vnet),
            ("remote_virtual_network_id", peering.remote_vnet_id or "<remote VNet id>"),
            (PEERING_TF[flag], True),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", f"{vnet}/{peering.name}", {flag: True}
        ),
        edits=(Edit(peering.origin, (Change(SET, (flag,), True),), (Change(SET, ("properties", flag), True),)),),
    )


# --- hub connections ------------------------------------------------------------------------------


def connection_tf(connection: HubVirtualNetworkConnection, *routing: tuple[str, Any]) -> str:
    return resource(
        "azurerm_virtual_hub_connection",
        connection.name,
        ("name", connection.name),
        ("virtual_hub_id", connection.hub_id),
        ("remote_virtual_network_id", connection.remote_vnet_id or "<remote VNet id>"),
        ("routing", block("routing", *routing)),
    ).text()


def connection_az(connection: HubVirtualNetworkConnection, **change: str | list[str]) -> str:
    return az("az resource update", ids=connection.id, **change)


def remove_resource(resource: Resource, description: str, terraform: str, arm_type: str, arm_name: str) -> Fix:
    """A resource taken out of the design (AC102's hub connection, AC401's outbound endpoint): deleted by id,
    the Terraform block to delete named in a comment (it is the user's file), removed from the input file."""
    return Fix(
        description,
        az=az("az resource delete", ids=resource.id),
        terraform=terraform,
        arm=f"remove the resource {arm_type} '{arm_name}'",
        edits=(Edit(resource.origin, (Change(REMOVE),), (Change(REMOVE),)),),
    )


# --- children of a resource (routes, security rules) ----------------------------------------------


def free_name(wanted: str, taken: Sequence[str]) -> str:
    names = {t.lower() for t in taken}
    if wanted.lower() not in names:
        return wanted
    index = 2
    while f"{wanted}-{index}".lower() in names:
        index += 1
    return f"{wanted}-{index}"


def append_child(parent: Origin, parent_id: str, collection: str, name: str, body: dict[str, Any]) -> Edit:
    """A new child (route, security rule) at the end of its parent's list: flat in the native format, under
    `properties` with its own id in ARM REST."""
    return Edit(
        parent,
        (Change(APPEND, (collection,), {"name": name, **body}),),
        (
            Change(
                APPEND,
                ("properties", collection),
                {"name": name, "id": f"{parent_id}/{collection}/{name}", "properties": body},
            ),
        ),
    )


# --- addresses ------------------------------------------------------------------------------------


def set_address_space(vnet: VirtualNetwork, space: list[str], description: str, edits: tuple[Edit, ...] = ()) -> Fix:
    """A VNet's address space set to `space`, in az CLI, azurerm and ARM (AC103, and the renumbering of AC101/AC105)."""
    group = resource_group(vnet.id)
    return Fix(
        description,
        az=az("az network vnet update", resource_group=group, name=vnet.name, address_prefixes=space),
        terraform=resource(
            "azurerm_virtual_network",
            vnet.name,
            ("name", vnet.name),
            ("resource_group_name", group),
            ("location", vnet.region or "<region>"),
            ("address_space", space),
        ).text(),
        arm=arm_property("Microsoft.Network/virtualNetworks", vnet.name, {"addressSpace": {"addressPrefixes": space}}),
        edits=edits,
    )


# --- fixes that need a value only the user can choose (text, no file edit) ---------------------------


def renumber(vnet: VirtualNetwork, prefixes: Collection[IPNetwork], wanted: str, description: str) -> Fix:
    """A VNet's prefixes replaced by ones the user picks (AC101, AC105): no file edit, the values are
    placeholders (numbered when there are several). Built once per VNet, the address space is written once."""
    chosen = {_key(p) for p in prefixes}
    space: list[str] = []
    replaced = 0
    for prefix in vnet.address_prefixes:
        if _key(prefix) not in chosen:
            space.append(str(prefix))
            continue
        replaced += 1
        space.append(f"{wanted[:-1]} #{replaced}>" if len(chosen) > 1 else wanted)
    return set_address_space(vnet, space, description)


def _key(prefix: IPNetwork) -> tuple[int, int, int]:
    """A prefix as a key cheaper to hash than the network object (whose hash is computed in Python)."""
    return prefix.version, int(prefix.network_address), prefix.prefixlen


MAX_LISTED = 3  # prefixes named in a fix's one-line description; the count says how many in all


def listing(prefixes: Collection[IPNetwork]) -> str:
    """`10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24 and 997 more`: a description stays one short line."""
    named = ", ".join(str(p) for p in islice(prefixes, MAX_LISTED))
    return named if len(prefixes) <= MAX_LISTED else f"{named} and {len(prefixes) - MAX_LISTED} more"


def advice(description: str) -> Fix:
    """A fix no single command expresses (a design choice, a capture to take again): said in one line."""
    return Fix(description)
