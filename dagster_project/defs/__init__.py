"""Dagster definitions, one module per concern; dagster_project/definitions.py composes them."""
