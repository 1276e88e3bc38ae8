"""Dialogue flows, one module per family of customer needs."""
