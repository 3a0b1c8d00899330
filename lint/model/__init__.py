"""The model every input is translated into: the topology, resource ids, source positions, findings."""
