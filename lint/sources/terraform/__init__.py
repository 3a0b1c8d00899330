"""Terraform plans (`terraform show -json`) -> the model."""
