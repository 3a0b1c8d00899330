"""Reading a run's input: which files, which designs, their configs, parsing, and the live tenant."""
