"""Verify rows: characters."""
