"""Azure resource JSON and ARM templates -> the model."""
