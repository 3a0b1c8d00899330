"""AC402: a VM's only NIC is in the anycast range; the fix adds a per-region address and a second NIC."""

from typing import Any

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "VM dns-vm-01 has a single NIC, in the anycast range"


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


def bad(design: Design) -> None:
    _vm_subnet(design)
    design["networkInterfaces"] = [_nic("nic-dns-vm-01", "dns-01/snet-dns-vm", "10.13.76.36", True)]


def good(design: Design) -> None:
    """A per-region address space in the member VNet, and a second NIC in it."""
    _vm_subnet(design)
    member = vnet(design, "dns-01")
    member["addressSpace"].append("10.50.1.0/28")
    member["subnets"].append({"name": "snet-dns-mgmt", "addressPrefix": "10.50.1.0/28"})
    design["networkInterfaces"] = [
        _nic("nic-dns-vm-01", "dns-01/snet-dns-vm", "10.13.76.36", True),
        _nic("nic-dns-vm-01-mgmt", "dns-01/snet-dns-mgmt", "10.50.1.4", False),
    ]
