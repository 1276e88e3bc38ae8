"""The dialogue layer: conversations as append-only event logs (events, state, trackers)."""
