"""Rules about the inputs themselves: what a scan could not read is said, never passed as clean."""
