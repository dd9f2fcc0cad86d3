"""Verify rows: equivariance."""
