"""Facts about a design that several rules and commands derive from the model: services, domains."""
