"""Verify rows: displacement."""
