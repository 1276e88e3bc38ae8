"""Shared by the benchmark scripts: the machine they ran on, and writing one section of
docs/benchmarks.md between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers
(other scripts own the other sections; nothing outside the markers is touched)."""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS_MD = ROOT / "docs" / "benchmarks.md"
HEADER = """# Benchmarks

Figures measured by the scripts in `benchmarks/`; each script rewrites its own section
(between its HTML comment markers) with the command, the machine and the date.
"""


def machine() -> str:
    """``2 cores, Intel(R) Xeon(R) ... , Linux 6.x, Python 3.11.x``."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return (f"{cores} cores ({model}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def write_section(name: str, body: str, path: Path = BENCHMARKS_MD) -> Path:
    """Replace (or append) the section ``name`` of ``path`` with ``body``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
