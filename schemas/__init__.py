"""JSON Schemas shipped as package data: the native topology format, the config file, SARIF 2.1.0."""
