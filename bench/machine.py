"""The machine a benchmark ran on, read from the machine at run time.

>>> facts = describe()
>>> facts["cores"] >= 1 and facts["memory GiB"] > 0
True
"""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psutil

__all__ = ["describe", "in_words"]

#: The packages whose versions decide the figures.
PACKAGES = ("pyoxigraph", "pyshacl", "rdflib")


def describe() -> dict[str, object]:
    """CPU model, cores, memory, Python and package versions, and the load right now."""
    facts: dict[str, object] = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 1,
        "memory GiB": round(psutil.virtual_memory().total / 2**30, 1),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "load average": round(os.getloadavg()[0], 1),
    }
    for package in PACKAGES:
        try:
            facts[package] = version(package)
        except PackageNotFoundError:
            facts[package] = "not installed"
    return facts


def in_words(facts: dict[str, object]) -> str:
    """``facts`` as one sentence for a report."""
    packages = ", ".join(f"{p} {facts[p]}" for p in PACKAGES if p in facts)
    return (
        f"{facts['cpu']}, {facts['cores']} cores, {facts['memory GiB']} GiB, "
        f"{facts['python']}, {packages}; load average {facts['load average']} at the start"
    )


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()
