"""Real SPARQL servers on free loopback ports, started once per test run, stopped at its end.

Two engines: Oxigraph's server (``pip install oxigraph``) and OpenLink Virtuoso 7 (Debian's
``virtuoso-opensource-7-bin``, installed by ``make test``). ``sparql_server`` is parametrised over
both, so a test that takes it runs on each; ``SERVER_SETTINGS`` holds the ``POLICYGRAPH_*``
settings each engine needs, the same that README's table of servers gives (a test checks).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph import REPO_ROOT
from graph.iris import GRAPH_BASE
from graph.push import push
from graph.settings import GraphSettings
from graph.store import OxigraphStore, RemoteSparqlStore, open_store

#: The settings (environment variables) policygraph needs for each engine.
SERVER_SETTINGS: dict[str, dict[str, str]] = {
    "oxigraph": {"POLICYGRAPH_UNION_DEFAULT_GRAPH": "oxigraph"},
    "virtuoso": {
        "POLICYGRAPH_UNION_DEFAULT_GRAPH": "explicit",
        "POLICYGRAPH_GRAPH_PREFIX": GRAPH_BASE,
        "POLICYGRAPH_RESULT_FORMAT": "xml",
        "POLICYGRAPH_PUSH_BATCH": "1000",
    },
}
ENGINES = list(SERVER_SETTINGS)
#: The path of each engine's query endpoint.
QUERY_PATHS = {"oxigraph": "/query", "virtuoso": "/sparql"}
_START_SECONDS = 60


@dataclass(frozen=True)
class SparqlServer:
    """A running SPARQL server: its engine, its query endpoint, and the settings it needs."""

    engine: str
    query: str

    @property
    def spec(self) -> str:
        """The ``--store`` value that names it."""
        return f"sparql+{self.query}"

    @property
    def settings(self) -> dict[str, str]:
        return SERVER_SETTINGS[self.engine]

    def environment(self) -> dict[str, str]:
        """This process's environment without ``POLICYGRAPH_*``, plus this server's settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
        return env | self.settings

    def graph_settings(self) -> GraphSettings:
        """This server's settings, as policygraph reads them."""
        return GraphSettings(**{
            name.removeprefix("POLICYGRAPH_").lower(): value
            for name, value in self.settings.items()
        })  # fmt: skip

    def store(self) -> RemoteSparqlStore:
        """A client with this server's settings."""
        settings = self.graph_settings()
        return RemoteSparqlStore(
            self.query,
            union_default_graph=settings.union_default_graph,
            graph_prefix=settings.graph_prefix,
            result_format=settings.result_format,
            timeout=120,
        )

    def run_cli(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """``policygraph ARGS`` in a fresh process with this server's settings."""
        return subprocess.run(
            [sys.executable, "-m", "cli.main", *map(str, args)],
            capture_output=True, text=True, cwd=REPO_ROOT, env=self.environment(), timeout=300,
        )  # fmt: skip

    def clear(self) -> None:
        """Drop every graph of the data (a server's own graphs stay)."""
        remote = self.store()
        try:
            graphs = remote.graph_names()
            if graphs:
                remote.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
        finally:
            remote.close()

    def load(self, store_path: Path) -> None:
        """Replace the server's data with the built store at ``store_path``."""
        self.clear()
        local = open_store(store_path)
        assert isinstance(local, OxigraphStore)
        remote = self.store()
        try:
            push(local, remote, replace=True, batch_size=self.graph_settings().push_batch)
            assert len(remote) == len(local)
        finally:
            local.close()
            remote.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _program(name: str, hint: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed ({hint})")
    return found


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path, name: str) -> None:
    deadline = time.monotonic() + _START_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"{name} exited: {log.read_text(errors='replace')[-800:]}")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within {_START_SECONDS} s")
            time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server's process group: SIGTERM, then SIGKILL after ten seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Oxigraph's server on 127.0.0.1, empty at the start; its data is deleted afterwards."""
    program = _program("oxigraph", "pip install oxigraph")
    directory = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    log = directory / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [program, "serve", "--location", str(directory / "data"),
             "--bind", f"127.0.0.1:{port}"],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = SparqlServer("oxigraph", f"http://127.0.0.1:{port}{QUERY_PATHS['oxigraph']}")
    try:
        _wait_until_up(process, server.query, log, "oxigraph serve")
        yield server
    finally:
        _stop(process)


#: Virtuoso's configuration: loopback ports only, files in one directory, small buffers,
#: no plugins, and room for the results of the largest named query.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dir}
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000
MaxQueryMem = 200M
ThreadsPerQuery = 2
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""
#: Lets the anonymous ``/sparql`` user (``SPARQL``) run updates: Virtuoso's documented grant.
VIRTUOSO_GRANT = 'GRANT SPARQL_UPDATE TO "SPARQL";'


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """Virtuoso 7 on 127.0.0.1 with a fresh database; SPARQL updates allowed on ``/sparql``."""
    program = _program("virtuoso-t", "make virtuoso installs it")
    isql = _program("isql-vt", "make virtuoso installs it")
    directory = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=sql_port, http_port=http_port))
    log = directory / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [program, "+foreground", "+configfile", str(ini)],
            cwd=directory, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = SparqlServer("virtuoso", f"http://127.0.0.1:{http_port}{QUERY_PATHS['virtuoso']}")
    try:
        _wait_until_up(process, server.query, log, "virtuoso-t")
        granted = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={VIRTUOSO_GRANT}"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if granted.returncode != 0 or "Error" in granted.stdout + granted.stderr:
            pytest.fail(f"isql-vt could not grant SPARQL_UPDATE: {granted.stdout}{granted.stderr}")
        yield server
    finally:
        _stop(process)


@pytest.fixture(scope="session", params=ENGINES)
def sparql_server(request: pytest.FixtureRequest) -> SparqlServer:
    """Each engine in turn (started on first use, once per session)."""
    server: SparqlServer = request.getfixturevalue(f"{request.param}_server")
    return server


@pytest.fixture()
def server(sparql_server: SparqlServer, monkeypatch: pytest.MonkeyPatch) -> SparqlServer:
    """The engine of this run, its settings in the environment (``open_store`` reads them)."""
    for name in [k for k in os.environ if k.startswith("POLICYGRAPH_")]:
        monkeypatch.delenv(name)
    for name, value in sparql_server.settings.items():
        monkeypatch.setenv(name, value)
    return sparql_server
