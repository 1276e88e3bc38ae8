"""Prometheus metrics of the HTTP channel.

With several worker processes, ``kefu serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` so that
``/metrics`` adds up every worker's counters (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Metrics:
    registry: CollectorRegistry
    turns: Counter
    latency: Histogram
    intents: Counter
    handoffs: Counter
    errors: Counter
    requests: Counter
    replays: Counter

    def render(self) -> tuple[bytes, str]:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def make_metrics() -> Metrics:
    """Fresh metrics on a registry of their own (each app, and each test, has one)."""
    registry = CollectorRegistry()
    return Metrics(
        registry=registry,
        turns=Counter("kefu_turns", "Customer messages answered", ["handled_by"],
                      registry=registry),
        latency=Histogram("kefu_turn_latency_seconds", "Time to answer a customer message",
                          buckets=LATENCY_BUCKETS, registry=registry),
        intents=Counter("kefu_intents", "Customer messages by recognised intent", ["intent"],
                        registry=registry),
        handoffs=Counter("kefu_handoffs", "Conversations handed to a human", registry=registry),
        errors=Counter("kefu_errors", "Requests answered with an error", ["status", "code"],
                       registry=registry),
        requests=Counter("kefu_http_requests", "HTTP requests", ["route", "method"],
                         registry=registry),
        replays=Counter("kefu_replayed_messages", "Retried messages answered with the "
                        "answer of their first attempt", registry=registry),
    )
