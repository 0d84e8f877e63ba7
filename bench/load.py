"""Throughput under concurrency, measured with ``wrk`` (a load generator written in C).

A Python load generator on the same two cores as the server measures itself as much as the
server: with asyncio + httpx, Oxigraph's own server topped out near 300 small queries a
second because the client used most of a core. ``wrk`` sends the same requests for a
fraction of the CPU. Each level runs ``clients`` keep-alive connections for ``seconds``
seconds; the requests cycle through ``queries`` (one per request, in order, from a Lua
script); a non-2xx answer or a socket error counts as an error.

Needs Debian's ``wrk`` (``make bench-install`` installs it).

>>> parse_wrk('''Requests/sec:   1234.56
...   Non-2xx or 3xx responses: 3
...   Socket errors: connect 0, read 1, write 0, timeout 2''')
(1234.56, 6)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

__all__ = ["load_level", "parse_wrk"]

_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("POLICYGRAPH_LOAD_PATHS")) do paths[#paths + 1] = line end
local i = 0
local headers = { ["Accept"] = "application/sparql-results+json" }
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
"""


def parse_wrk(output: str) -> tuple[float, int]:
    """Requests per second and errors (non-2xx/3xx answers and socket errors) of a wrk run."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate: {output[-500:]}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    if socket := re.search(r"Socket errors:([^\n]*)", output):
        errors += sum(int(n) for n in re.findall(r"\d+", socket[1]))
    return float(rate[1]), errors


def load_level(url: str, queries: list[str], clients: int, seconds: float) -> dict[str, float]:
    """Run ``clients`` connections against ``url`` (``GET ?query=``) for ``seconds`` s.

    :raises RuntimeError: ``wrk`` is not installed, or its output has no rate.
    """
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("the throughput benchmark needs wrk: run `make bench-install`")
    base = urlsplit(url)
    with tempfile.TemporaryDirectory() as tmp:
        paths = Path(tmp) / "paths.txt"
        paths.write_text("".join(f"{base.path}?query={quote(q, safe='')}\n" for q in queries))
        script = Path(tmp) / "cycle.lua"
        script.write_text(_SCRIPT)
        threads = min(clients, 2)  # the machine has two cores; wrk runs one loop per thread
        completed = subprocess.run(
            [wrk, "-t", str(threads), "-c", str(clients), "-d", f"{seconds:g}s",
             "--timeout", "30s", "-s", str(script), f"{base.scheme}://{base.netloc}"],
            env={"POLICYGRAPH_LOAD_PATHS": str(paths)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    rate, errors = parse_wrk(completed.stdout)
    return {"clients": clients, "qps": rate, "errors": errors, "seconds": seconds}
