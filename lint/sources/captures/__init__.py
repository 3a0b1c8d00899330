"""Observed routing state: route-table captures and other route-inspection outputs."""
