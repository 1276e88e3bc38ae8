"""Channels: thin adapters between customers (web, HTTP API) and the assistant."""
