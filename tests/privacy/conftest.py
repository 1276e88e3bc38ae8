from __future__ import annotations

import pytest

from kefu.privacy import PiiMasker, get_masker


@pytest.fixture(scope="session")
def masker() -> PiiMasker:
    """The process-wide masker, its Presidio engines built once per test session."""
    m = get_masker()
    m.mask("0")  # build now, outside any timed test
    return m
