"""Read a W3C HTTP test manifest (``mf:ProtocolTest`` entries) and replay its requests.

The SPARQL 1.1 Protocol manifest (and the Graph Store Protocol's) describe each test as
a list of ``ht:Request`` (the W3C "HTTP in RDF" vocabulary): a method, a path under
``/sparql/``, headers, a body with its character encoding, and an ``ht:resp`` with the
expected status classes (``hts:StatusCode2xx`` …), format (``"boolean"``, ``"tabular"``,
``"RDF"``) and ASK answer. :func:`read_manifest` turns them into :class:`ProtocolTest`
values in the manifest's order; :func:`send` replays one request against a running server;
:func:`check` compares the answer with what the manifest expects.

>>> tests = read_manifest(PROTOCOL_MANIFEST)
>>> tests[0].name, tests[0].requests[0].method
('query_post_form', 'POST')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import httpx
import rdflib
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = [
    "PROTOCOL_MANIFEST",
    "Expected",
    "GraphData",
    "ProtocolTest",
    "TestRequest",
    "check",
    "read_manifest",
    "send",
]

PROTOCOL_MANIFEST = Path(__file__).parent / "protocol" / "manifest.ttl"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

#: The status classes of the manifest, as the first digit of a status code.
_STATUS_CLASSES = {HTS[f"StatusCode{n}xx"]: n for n in range(1, 6)}
#: The media types each ``mf:expectedFormat`` allows (the manifest's names in its comments).
FORMAT_MEDIA_TYPES = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {
        "application/rdf+xml",
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/trig",
    },
}


@dataclass(frozen=True)
class Expected:
    """What a response must be: a status class (2 for 2xx …), a format, an ASK answer."""

    status_classes: frozenset[int]
    format: str | None = None
    boolean: bool | None = None


@dataclass(frozen=True)
class TestRequest:
    """One ``ht:Request``: method, path (as in the manifest), headers, encoded body."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expected: Expected

    __test__ = False  # not a pytest test class

    def header(self, name: str) -> str | None:
        """The value of the header ``name`` (any case), if the request has it."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass(frozen=True)
class GraphData:
    """A graph a test needs loaded: its name (``rdfs:label``) and the file of its data."""

    name: str
    file: Path


@dataclass(frozen=True)
class ProtocolTest:
    """One manifest entry: its local name, title, data and requests in order."""

    name: str
    title: str
    graphs: tuple[GraphData, ...]
    requests: tuple[TestRequest, ...]

    __test__ = False


def read_manifest(path: Path) -> list[ProtocolTest]:
    """The tests of the manifest at ``path``, in the order of its ``mf:entries``."""
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    entries = Collection(graph, _required(graph.value(manifest, MF.entries)))
    return [_test(graph, entry) for entry in entries]


def _test(graph: rdflib.Graph, entry: Node) -> ProtocolTest:
    action = graph.value(entry, MF.action)
    requests = Collection(graph, _required(graph.value(action, HT.requests)))
    graphs = tuple(
        GraphData(str(graph.value(data, rdflib.RDFS.label)), _local_file(graph.value(data, UT.graph)))
        for data in graph.objects(entry, UT.graphData)
    )  # fmt: skip
    return ProtocolTest(
        name=str(entry).rpartition("#")[2],
        title=str(graph.value(entry, MF.name)),
        graphs=tuple(sorted(graphs, key=lambda g: g.name)),
        requests=tuple(_request(graph, request) for request in requests),
    )


def _required(node: Node | None) -> Node:
    """``node``, which the manifest must give."""
    assert node is not None, "the manifest lacks a required property"
    return node


def _local_file(iri: Node | None) -> Path:
    """The vendored file an IRI of the manifest (``<data1.nt>``, resolved to a file URI)
    names."""
    return Path(str(iri).removeprefix("file://"))


def _request(graph: rdflib.Graph, request: Node) -> TestRequest:
    headers: list[tuple[str, str]] = []
    header_list = graph.value(request, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            name, value = graph.value(header, HT.fieldName), graph.value(header, HT.fieldValue)
            headers.append((str(name), str(value)))
    body_node = graph.value(request, HT.body)
    body: bytes | None = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    expected_format = graph.value(response, MF.expectedFormat)
    return TestRequest(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=tuple(headers),
        body=body,
        expected=Expected(
            status_classes=frozenset(
                _STATUS_CLASSES[rdflib.URIRef(str(s))]
                for s in graph.objects(response, MF.expectedStatus)
            ),
            format=str(expected_format) if expected_format is not None else None,
            boolean=boolean.toPython() if isinstance(boolean, rdflib.Literal) else None,
        ),
    )


def send(
    client: httpx.Client,
    request: TestRequest,
    *,
    endpoint: str = "/sparql",
    extra_headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Replay ``request`` with ``client`` (its base URL the server's): the manifest's
    ``/sparql/`` prefix becomes ``endpoint``, as the manifest says a runner must do.

    The body goes as the manifest's bytes, with exactly the manifest's headers (no
    ``Content-Type`` of httpx's own) plus ``extra_headers`` (an update token).
    """
    assert request.path.startswith("/sparql/"), request.path
    path = endpoint + request.path.removeprefix("/sparql/")  # "" or "?query=…"
    headers = dict(request.headers) | (extra_headers or {})
    return client.request(request.method, path, content=request.body, headers=headers)


def check(response: httpx.Response, expected: Expected) -> None:
    """Assert that ``response`` is what ``expected`` describes (status class, format, the
    ASK answer), with a message that shows the answer when it is not."""
    shown = f"{response.status_code} {response.headers.get('content-type')}: {response.text[:300]}"
    assert response.status_code // 100 in expected.status_classes, shown
    if expected.format is None:
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type in FORMAT_MEDIA_TYPES[expected.format], shown
    if expected.format == "RDF":
        rdflib.Graph().parse(data=response.content, format=_RDFLIB_FORMATS[media_type])
    elif expected.format == "tabular" and media_type == "application/sparql-results+json":
        assert "bindings" in json.loads(response.content)["results"], shown
    if expected.boolean is not None:
        assert ask_answer(response) is expected.boolean, shown


_RDFLIB_FORMATS = {
    "application/rdf+xml": "xml",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/trig": "trig",
}


def ask_answer(response: httpx.Response) -> bool:
    """The boolean of an ASK answer in SPARQL results JSON or XML."""
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type == "application/sparql-results+json":
        answer = json.loads(response.content)["boolean"]
        assert isinstance(answer, bool)
        return answer
    element = ElementTree.fromstring(response.content).find(
        "{http://www.w3.org/2005/sparql-results#}boolean"
    )
    assert element is not None and element.text in ("true", "false"), response.text
    return element.text == "true"
