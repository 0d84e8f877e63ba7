"""The guard: SERVICE, LOAD and outside FROM are found in every spelling the engine reads,
words inside strings, IRIs, names, variables and language tags are left alone, and deep
nesting is refused before any parser sees it.

pyoxigraph itself is the oracle: an in-memory store runs the text with ``127.0.0.1:9``
pointed at a listener on loopback (:mod:`tests.hardening.outside.listener`), which sees
whether the engine connected; a ``FROM`` is seen working when the answer comes from the
one graph named ``http://127.0.0.1:9/x``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import QueryRefusedError, QuerySyntaxError, UpdateRefusedError
from graph.iris import graph_iri
from graph.query.guard import (
    MAX_NESTING,
    MAX_OPERATORS,
    guard_query,
    guard_update,
    inspect_query,
)
from tests.hardening.outside.listener import Listener
from tests.hardening.record import record_inputs

OURS = {graph_iri("curated"), graph_iri("ontology")}
OUTSIDE = "http://127.0.0.1:9/x"
PROLOGUE = (
    "BASE <http://127.0.0.1:9/> PREFIX : <http://127.0.0.1:9/> PREFIX ex: <http://127.0.0.1:9/>"
)


def _oracle_store() -> ox.Store:
    store = ox.Store()
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    for value in (ox.Literal("default"), ox.Literal(1), ox.Literal(True)):
        store.add(ox.Quad(s, p, value))
    store.add(ox.Quad(s, p, ox.NamedNode("urn:x:a.b")))
    store.add(ox.Quad(s, p, ox.Literal("outside"), ox.NamedNode(OUTSIDE)))
    store.add(ox.Quad(s, p, ox.Literal("other"), ox.NamedNode("urn:other")))
    return store


ORACLE = _oracle_store()


@pytest.fixture(scope="module")
def outside() -> Iterator[Listener]:
    with Listener() as listener:
        yield listener


def engine_fetches(outside: Listener, text: str, *, update: bool = False) -> bool:
    """Whether pyoxigraph, running ``text`` with ``127.0.0.1:9`` pointed at the listener,
    connects to it (``SILENT`` hides the failure, not the connection)."""
    text = text.replace("127.0.0.1:9/", f"127.0.0.1:{outside.port}/")
    before = outside.hits
    try:
        if update:
            ox.Store().update(text)
        else:
            result = ORACLE.query(text)
            if not isinstance(result, ox.QueryBoolean):
                list(result)
    except (OSError, SyntaxError, ValueError, RuntimeError):
        pass
    return outside.hits > before


def engine_reads_outside_graph(text: str) -> bool:
    """Whether pyoxigraph answers ``text`` from the graph ``http://127.0.0.1:9/x`` alone."""
    try:
        values = {str(row[0]) for row in ORACLE.query(text)}  # type: ignore[union-attr]
    except (SyntaxError, ValueError, RuntimeError, OSError):
        return False
    return values == {'"outside"'}


def test_the_oracle_sees_a_fetch_and_a_graph(outside: Listener) -> None:
    assert engine_fetches(outside, f"SELECT * {{ SERVICE SILENT <{OUTSIDE}> {{ ?a ?b ?c }} }}")
    assert not engine_fetches(outside, "SELECT * { ?a ?b ?c }")
    assert engine_fetches(outside, f"LOAD SILENT <{OUTSIDE}>", update=True)
    assert engine_reads_outside_graph(f"SELECT ?o FROM <{OUTSIDE}> {{ ?s ?p ?o }}")
    assert not engine_reads_outside_graph("SELECT ?o { ?s ?p ?o }")


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * WHERE { ?s rdfs:label "SERVICE <http://x/>" }',
        "SELECT * WHERE { ?s rdfs:label 'load this' }",
        'SELECT * WHERE { ?s rdfs:comment """a\nSERVICE\n""" }',
        "SELECT * WHERE { ?s rdfs:comment '''it's LOAD''' }",
        "SELECT * WHERE { ?s ?p <urn:SERVICE> }",
        "SELECT * WHERE { ?s ?p <http://example.org/service#load> }",
        "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/> in a comment",
        "SELECT ?service ?load WHERE { ?service ?load ?o }",
        "SELECT $service WHERE { $service ?p ?from }",
        "PREFIX service: <urn:x:> SELECT * WHERE { ?s service:load ?o }",
        "PREFIX service: <urn:x:> ASK { ?s service:x ?o }",
        "PREFIX ex: <urn:x:> SELECT * WHERE { ?s ex:service ex:load . ?s ex:from ?o }",
        "PREFIX load: <urn:x:> PREFIX from: <urn:y:> ASK { ?s load:a from:b }",
        'SELECT * WHERE { ?s ?p "x"@load }',
        'SELECT * WHERE { ?s ?p "x"@service . ?s ?p "y"@from }',
        'SELECT * WHERE { ?s ?p "x"@en-service }',
        "SELECT * WHERE { _:service ?p _:load }",
        'SELECT * WHERE { ?s ?p "escaped \\" SERVICE" }',
        'SELECT * WHERE { ?s ?p "\\u0053ERVICE" }',
        f"SELECT * FROM <{graph_iri('curated')}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM<{graph_iri('curated')}>{{ ?s ?p ?o }}",
        "PREFIX g: <https://w3id.org/policygraph/graph/> ASK FROM NAMED g:ontology { ?s ?p ?o }",
        "PREFIX g: <https://w3id.org/policygraph/graph/> ASK FROM g:curated FROM NAMED g:ontology {}",
        f"BASE <{graph_iri('x')}> SELECT * FROM <curated> {{ ?s ?p ?o }}",
        "SELECT * WHERE { FILTER(?a<?b && ?c>?d) }",
        "SELECT * WHERE { FILTER(?a < <urn:x>) }",
        "SELECT * WHERE { VALUES (?a ?b) { (<urn:a#b> <urn:c'd>) } }",
        "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s",
    ],
)
def test_allowed(query: str, outside: Listener) -> None:
    assert guard_query(query, OURS).form in {"SELECT", "ASK"}
    assert not engine_fetches(outside, query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * { service silent <http://x/> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://x/data.ttl>", "LOAD"),
        ("SELECT * FROM <http://evil.example/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
        ("PREFIX e: <http://evil/> SELECT * FROM e:x { ?s ?p ?o }", "FROM"),
        ("SELECT * FROM unknown:x { ?s ?p ?o }", "FROM"),
    ],
)
def test_refused(query: str, message: str) -> None:
    with pytest.raises(QueryRefusedError, match=message):
        guard_query(query, OURS)


# Each of these makes pyoxigraph 0.5 fetch http://127.0.0.1:9/x (checked below).
WALK_AROUNDS = [
    f"SELECT * {{ {{}}.SERVICE <{OUTSIDE}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ ?s ?p ?o.SERVICE <{OUTSIDE}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ #x\rSERVICE <{OUTSIDE}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ ?s ?p ?o #x\r{{}} UNION {{ SERVICE <{OUTSIDE}> {{ ?a ?b ?c }} }} }}",
    f"SELECT*{{{{}}.SERVICE<{OUTSIDE}>{{?a ?b ?c}}}}",
    f"SELECT * {{ OPTIONAL{{}}SERVICE <{OUTSIDE}> {{}} }}",
    f"SELECT * {{ BIND(1 AS ?x);SERVICE <{OUTSIDE}> {{}} }}".replace(";", ""),
    f"SELECT * {{ FILTER(true)SERVICE <{OUTSIDE}> {{}} }}",
    f"SELECT * {{ ?s ?p 1SERVICE <{OUTSIDE}> {{}} }}",
    f"SELECT * {{ ?s ?p true SeRvIcE\tsIlEnT\n<{OUTSIDE}>{{}} }}",
    f"{PROLOGUE} SELECT * {{ SERVICE:x {{ ?a ?b ?c }} }}",
    f"{PROLOGUE} SELECT * {{ ?s ?p ?o service:x{{}} }}",
    f"{PROLOGUE} SELECT * {{ SERVICE ex:x {{}} }}",
    f"{PROLOGUE} SELECT * {{ SERVICE <x> {{}} }}",
    f"PREFIX : <urn:a:> PREFIX : <{OUTSIDE}> SELECT * {{ SERVICE : {{}} }}",
    f"PREFIX ex: <urn:x:> SELECT * {{ ?s ?p ex:a.b.SERVICE <{OUTSIDE}> {{}} }}",
    f"SELECT * {{ FILTER(1<2)SERVICE#>\n<{OUTSIDE}> {{ ?a ?b ?c }} }}",
    f"SELECT * {{ ?s ?p ?o FILTER(?o<<urn:x> || ?o<?o)SERVICE#>\n<{OUTSIDE}>{{}} }}",
]


@pytest.mark.parametrize("query", WALK_AROUNDS)
def test_walk_arounds_are_refused(query: str, outside: Listener) -> None:
    assert engine_fetches(outside, query), "not a walk-around: the engine does not fetch it"
    with pytest.raises(QueryRefusedError, match=r"SERVICE|'<'"):
        guard_query(query, OURS)


@pytest.mark.parametrize("character", [" ", "<", '"', "{", "}", "|", "^", "`", "\\", "\n"])
def test_the_engine_accepts_no_iri_the_lexer_would_not_read_as_one(character: str) -> None:
    """The lexer's IRIREF excludes these characters: the engine must refuse them too, or a
    ``#`` inside such an IRI would look like a comment to the guard only."""
    with pytest.raises(SyntaxError):
        ORACLE.query(f"SELECT * {{ <urn:a{character}b#> ?p ?o }}")


def test_spellings_this_engine_version_rejects_are_refused_too() -> None:
    """Spellings pyoxigraph 0.5 does not run but SPARQL allows: a later engine may."""
    for query in (
        f"SELECT * {{ ?s ?p <<'x> . ' SERVICE <{OUTSIDE}> {{}} #' }}",
        f"SELECT * {{ ?s ?p <<(?s ?p <urn:a#> SERVICE <{OUTSIDE}> {{}}",
        f"SELECT * {{ VALUES ?u {{ <{OUTSIDE}> }} SERVICE ?u {{}} }}",
        f"SELECT * {{ ?s ?p trueSERVICE <{OUTSIDE}> {{}} }}",
        f"{PROLOGUE} SELECT * {{ ?s ?p ?o ex:service <{OUTSIDE}> {{}} }}",
    ):
        with pytest.raises(QueryRefusedError, match=r"SERVICE|'<'"):
            guard_query(query, OURS)
    with pytest.raises(UpdateRefusedError, match="LOAD"):
        guard_update(f"CLEAR SILENT GRAPH <urn:g>; {PROLOGUE} load:x INTO GRAPH <urn:g>")


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ \\u0053ERVICE <{OUTSIDE}> {{}} }}",
        f"SELECT * {{ SERVIC\\U00000045 <{OUTSIDE}> {{}} }}",
        f"SELECT * {{ \\u+053ERVICE <{OUTSIDE}> {{}} }}",
        f"SELECT * {{ ?s ?p '\\u0027 SERVICE <{OUTSIDE}> {{}} #' }}",
        f"SELECT * {{ #\\u000DSERVICE <{OUTSIDE}> {{}} }}",
    ],
)
def test_unicode_escapes_are_read_as_sparql_says(query: str) -> None:
    """pyoxigraph 0.5 decodes escapes only in strings and IRIs; SPARQL 1.1 §19.2 decodes
    them everywhere first. Either reading that fetches is refused."""
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        guard_query(query, OURS)


@pytest.mark.parametrize(
    "query",
    [
        f"{PROLOGUE} SELECT ?o FROM:x {{ ?s ?p ?o }}",
        f"SELECT ?o #x\rFROM <{OUTSIDE}> {{ ?s ?p ?o }}",
        f"SELECT ?o FROM<{OUTSIDE}>{{ ?s ?p ?o }}",
        "SELECT ?o fRoM <x> { ?s ?p ?o }".replace("SELECT", "BASE <http://127.0.0.1:9/> SELECT"),
        f"{PROLOGUE} SELECT ?o FROM ex:x {{ ?s ?p ?o }}",
        "PREFIX ex: <urn:a:> PREFIX ex: <http://127.0.0.1:9/> SELECT ?o FROM ex:x { ?s ?p ?o }",
        "SELECT(1<2AS?c)(?o AS ?o2)FROM:x#>\n{ ?s ?p ?o }".replace("SELECT", f"{PROLOGUE} SELECT"),
        f"{PROLOGUE} SELECT ?o FROM NAMED:x {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT ?o FROM NAMED <{OUTSIDE}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_outside_from_is_refused_in_every_spelling(query: str) -> None:
    with pytest.raises(QueryRefusedError, match=r"FROM|'<'"):
        guard_query(query, OURS)


def test_from_walk_arounds_are_real() -> None:
    assert engine_reads_outside_graph(f"{PROLOGUE} SELECT ?o FROM:x {{ ?s ?p ?o }}")
    assert engine_reads_outside_graph(f"SELECT ?o #x\rFROM <{OUTSIDE}> {{ ?s ?p ?o }}")


@pytest.mark.parametrize(
    "update",
    [
        f"LOAD <{OUTSIDE}>",
        f"load<{OUTSIDE}>",
        f"#x\rLOAD <{OUTSIDE}>",
        f"CLEAR SILENT GRAPH <urn:g>;LOAD <{OUTSIDE}>",
        f"CLEAR SILENT GRAPH <urn:g> ;#c\rlOaD SILENT <{OUTSIDE}> INTO GRAPH <urn:g>",
        f"{PROLOGUE} LOAD:x",
        f"{PROLOGUE} LOAD <x>",
        f"INSERT {{ GRAPH <urn:g> {{ ?a ?b ?c }} }} WHERE {{ {{}}.SERVICE <{OUTSIDE}> {{ ?a ?b ?c }} }}",
    ],
)
def test_update_walk_arounds_are_refused(update: str, outside: Listener) -> None:
    assert engine_fetches(outside, update, update=True), (
        "not a walk-around: the engine does not fetch it"
    )
    with pytest.raises(UpdateRefusedError, match=r"LOAD|SERVICE"):
        guard_update(update)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { GRAPH <urn:edits> { <urn:a> <urn:b> 'LOAD <http://x/>' } }",
        "PREFIX ex: <urn:x:> INSERT DATA { GRAPH <urn:edits> { ex:download ex:service ex:from } }",
        "PREFIX ex: <urn:x:> WITH ex:payload DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        'INSERT DATA { GRAPH <urn:edits> { <urn:a> <urn:b> "x"@load } }',
    ],
)
def test_updates_without_a_way_out_pass(update: str) -> None:
    guard_update(update)
    ox.Store().update(update)  # and they are updates the engine runs


@pytest.mark.parametrize(
    "update",
    ["INSERT DATA { <a> <b> <c> }", "DELETE WHERE { ?s ?p ?o }", "PREFIX x: <y> CLEAR ALL"],
)
def test_updates_are_refused_as_updates(update: str) -> None:
    with pytest.raises(UpdateRefusedError):
        guard_query(update, OURS)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("# comment\nPREFIX a: <b> select * {}", "SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("describe id:kor", "DESCRIBE"),
        ("BASE <x:> ASK {}", "ASK"),
        ("nonsense", None),
    ],
)
def test_form(query: str, form: str | None) -> None:
    assert inspect_query(query).form == form


def test_from_and_from_named_are_read() -> None:
    shape = inspect_query(
        f"SELECT * FROM <{graph_iri('a')}> FROM NAMED <{graph_iri('b')}> WHERE {{ ?s ?p ?o }}"
    )
    assert shape.default_graphs == (graph_iri("a"),)
    assert shape.named_graphs == (graph_iri("b"),)


def test_the_shape_of_a_short_query_is_remembered_and_a_long_one_is_not() -> None:
    short = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert inspect_query(short) is inspect_query(short)
    long = "# " + "x" * 10_000 + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
    assert inspect_query(long) == inspect_query(long)
    assert inspect_query(long) is not inspect_query(long)


# --- nesting ------------------------------------------------------------------------------

NESTED = {
    "(": lambda n: "SELECT * { FILTER(" + "(" * (n - 2) + "1" + ")" * (n - 2) + ") }",
    "{": lambda n: "SELECT * " + "{" * n + "}" * n,
    "[": lambda n: "SELECT * { ?s ?p " + "[ ?q " * (n - 1) + "1" + " ]" * (n - 1) + " }",
    "update": lambda n: "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * n + "}" * n,
}


@pytest.mark.parametrize("kind", sorted(NESTED))
def test_nesting_up_to_the_limit_passes_and_one_more_is_refused(kind: str) -> None:
    check = guard_update if kind == "update" else (lambda text: guard_query(text, OURS))
    assert inspect_query(NESTED[kind](MAX_NESTING)).nesting == MAX_NESTING
    check(NESTED[kind](MAX_NESTING))
    with pytest.raises(QuerySyntaxError, match=f"deeper than {MAX_NESTING} levels"):
        check(NESTED[kind](MAX_NESTING + 1))


def test_deep_nesting_is_refused_and_brackets_in_strings_do_not_count() -> None:
    # 200,000 levels: a scan that recursed would overflow, and one that went back over the
    # text per bracket would take hours (the suite's time shows it; no clock is asserted).
    for depth in (6_000, 200_000):
        with pytest.raises(QuerySyntaxError, match="deeper than 64"):
            guard_query("SELECT * { FILTER(" + "(" * depth + "1" + ")" * depth + ") }", OURS)
        with pytest.raises(QuerySyntaxError):
            guard_update("INSERT DATA { GRAPH <urn:e> { <urn:a> <urn:b> " + "(" * depth + " } }")
    guard_query("SELECT * { ?s ?p '" + "(" * 1000 + "' } # " + "{" * 1000, OURS)
    with pytest.raises(QuerySyntaxError):  # an IRI the engine may read as code counts too
        guard_query("SELECT * { FILTER(?a <" + "(" * 100 + ">) }", OURS)
    with pytest.raises(QuerySyntaxError):
        guard_query("SELECT * { ?s ?p " + "<< " * 65 + "<a> <b> <c>" + " >>" * 65 + " }", OURS)
    record_inputs("deeply nested queries and updates refused before parsing (guard)", 7)


def _binds(count: int) -> str:
    return "SELECT * { " + " ".join(f"BIND({i} AS ?x{i})" for i in range(count)) + " }"


def test_long_chains_are_refused_before_they_build_a_deep_algebra() -> None:
    """3,000 BINDs in one group crash pyoxigraph (a subprocess showed SIGSEGV); the limit
    counts operators and group keywords, ``||`` and ``&&`` once."""
    # FILTER, =, ||, ! and = (of !=), &&, !
    assert inspect_query("ASK { ?s ?p ?o FILTER(?o = 1 || ?o != 2 && !?b) }").operators == 7
    guard_query(_binds(MAX_OPERATORS - 1), OURS)  # and the * of SELECT *
    for text in (_binds(MAX_OPERATORS), _binds(3_000)):
        with pytest.raises(QuerySyntaxError, match="VALUES or IN"):
            guard_query(text, OURS)
    alternatives = " || ".join(f"?o = {i}" for i in range(600))
    with pytest.raises(QuerySyntaxError, match=f"more than {MAX_OPERATORS} operators"):
        guard_update(f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER({alternatives}) }}")
    guard_query(
        "SELECT * { ?s ?p ?o FILTER(?o IN (" + ", ".join(map(str, range(5000))) + ")) }", OURS
    )
    record_inputs("flat chains of operators refused before parsing (guard)", 3)


# --- generated spellings --------------------------------------------------------------------


def _any_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(
            c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True)
        )
    )


SEPARATORS = st.sampled_from(["", " ", "\t", "\r", "\n", "\r\n", "#c\r", "#c\n", " #}\n\t"])
GAPS = st.sampled_from([" ", "\t", "\r", "\n", "#c\r", "#c\n", "\r\n#{\n"])
BEFORE_SERVICE = st.sampled_from(
    ["", "{}", "{}.", "?s ?p ?o .", "?s ?p ?o", "?s ?p 1", "?s ?p true", "FILTER(true)",
     "BIND(1 AS ?b)", "OPTIONAL{}", "MINUS{}", "{} UNION {}", "?s ?p ?o;?q ?r."]
)  # fmt: skip
# Pieces of SPARQL that may stand before a keyword: glued, they test where tokens end.
FRAGMENTS = st.sampled_from(
    ["?s ?p ?o", "?s ?p 1", "?s ?p true", "?s ?p ex:a.b", "{}", ".", ";", ",", "?o", "1", "1.",
     ".5", "1e5", "true", "a", "ex:a", "ex:", ":", "_:b", "[]", "()", "<urn:x>", "'x'", '"x"',
     '"x"@en', '"x"^^<urn:d>', "FILTER(true)", "FILTER(1<2)", "BIND(1 AS ?b)", "OPTIONAL{}",
     "UNION", "#c\r", "\r", "", "GRAPH ?g {}", "VALUES ?v {1}", "ex:a\\.", "ex:a%41",
     "?s ex:p?", "^", "!", "<<", ">>", "<", ">", "SILENT", "FILTER(?a<", "?b)", "#>", "'", '"""']
)  # fmt: skip
SOUP = st.lists(st.tuples(FRAGMENTS, st.sampled_from(["", " ", "\r", "#c\r"])), max_size=5).map(
    lambda pieces: "".join(piece + gap for piece, gap in pieces)
)
TARGETS = st.sampled_from([f"<{OUTSIDE}>", ":x", "ex:x", "<x>", "<./x>", "<//127.0.0.1:9/x>"])


@st.composite
def service_spellings(draw: st.DrawFn) -> str:
    keyword = draw(_any_case("SERVICE"))
    silent = draw(st.one_of(st.just(""), _any_case("SILENT").map(lambda w: w + " ")))
    return (
        f"{PROLOGUE} SELECT * {{ {draw(st.one_of(BEFORE_SERVICE, SOUP))}{draw(SEPARATORS)}{keyword}"
        f"{draw(SEPARATORS)}{silent}{draw(TARGETS)}{draw(SEPARATORS)}{{ ?a ?b ?c }} }}"
    )


def _escape_some(word: str, picks: list[int], long: list[bool]) -> str:
    letters = list(word)
    for index, wide in zip(picks, long, strict=True):
        code = ord(word[index])
        letters[index] = f"\\U{code:08X}" if wide else f"\\u{code:04x}"
    return "".join(letters)


def test_generated_service_spellings_never_reach_the_engine(outside: Listener) -> None:
    fetching: list[str] = []
    seen: list[str] = []

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(service_spellings())
    def check(query: str) -> None:
        seen.append(query)
        refused = _refused(query)
        if engine_fetches(outside, query):
            fetching.append(query)
            assert refused, f"the engine fetches but the guard let it through: {query!r}"

    check()
    assert len(fetching) > len(seen) // 4, "too few generated spellings are real walk-arounds"
    record_inputs("SERVICE spellings checked with the engine as oracle (hypothesis)", len(seen))


def test_generated_escaped_keywords_are_refused() -> None:
    seen: list[str] = []

    @settings(max_examples=100, deadline=None)
    @given(
        st.sampled_from(["SERVICE", "SERVICE", "FROM", "LOAD"]),
        st.data(),
    )
    def check(word: str, data: st.DataObject) -> None:
        cased = data.draw(_any_case(word))
        picks = data.draw(st.lists(st.integers(0, len(word) - 1), min_size=1, max_size=3))
        wide = data.draw(st.lists(st.booleans(), min_size=len(picks), max_size=len(picks)))
        spelt = _escape_some(cased, picks, wide)
        if word == "SERVICE":
            query = f"SELECT * {{ {spelt} <{OUTSIDE}> {{}} }}"
        elif word == "FROM":
            query = f"SELECT * {spelt} <{OUTSIDE}> {{}}"
        else:
            query = f"{spelt} <{OUTSIDE}>"
        seen.append(query)
        assert _refused(query), query
        if word == "LOAD":
            with pytest.raises(UpdateRefusedError):
                guard_update(query)

    check()
    record_inputs("keywords spelt with \\u escapes refused by the guard (hypothesis)", len(seen))


@st.composite
def from_spellings(draw: st.DrawFn) -> str:
    keyword = draw(_any_case("FROM"))
    named = draw(st.booleans())
    clause = f"{keyword}{draw(SEPARATORS)}"
    if named:
        clause += draw(_any_case("NAMED")) + draw(GAPS)
    body = "{ GRAPH ?g { ?s ?p ?o } }" if named else "{ ?s ?p ?o }"
    before = draw(st.sampled_from(["?o", "?o ", "(?o AS ?x)", "*", "?o\r#x\r"]))
    return f"{PROLOGUE} SELECT {before}{clause}{draw(TARGETS)}{draw(SEPARATORS)}{body}"


def test_generated_from_spellings_never_name_an_outside_graph() -> None:
    working: list[str] = []
    seen: list[str] = []

    @settings(max_examples=150, deadline=None)
    @given(from_spellings())
    def check(query: str) -> None:
        seen.append(query)
        if engine_reads_outside_graph(query.replace("SELECT *", "SELECT ?o")):
            working.append(query)
            assert _refused(query), f"the engine reads the outside graph: {query!r}"

    check()
    assert working, "no generated FROM spelling works in the engine"
    record_inputs("FROM spellings checked with the engine as oracle (hypothesis)", len(seen))


@st.composite
def load_spellings(draw: st.DrawFn) -> str:
    keyword = draw(_any_case("LOAD"))
    silent = draw(st.one_of(st.just(""), _any_case("SILENT").map(lambda w: w + " ")))
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:g>", "\rinto graph<urn:g>"]))
    first = draw(st.sampled_from(["", "CLEAR SILENT GRAPH <urn:g>;", "CLEAR ALL ;#x\r"]))
    return (
        f"{first}{draw(SEPARATORS)}{PROLOGUE}{draw(GAPS)}{keyword}{draw(SEPARATORS)}{silent}"
        f"{draw(TARGETS)}{into}"
    )


def test_generated_load_spellings_never_reach_the_engine(outside: Listener) -> None:
    fetching: list[str] = []
    seen: list[str] = []

    @settings(max_examples=150, deadline=None)
    @given(load_spellings())
    def check(update: str) -> None:
        seen.append(update)
        if engine_fetches(outside, update, update=True):
            fetching.append(update)
            with pytest.raises(UpdateRefusedError):
                guard_update(update)

    check()
    assert len(fetching) > len(seen) // 4, "too few generated spellings are real walk-arounds"
    record_inputs("LOAD spellings checked with the engine as oracle (hypothesis)", len(seen))


HARMLESS = st.sampled_from(
    [
        '"{w}"', "'{w}'", '"""a {w} b"""', '"x"@{w}', "<urn:{w}>", "<http://a/{w}#x>",
        "?{w}", "${w}", "_:{w}", "{w}:x", "ex:{w}", "ex:a{w}",
    ]
)  # fmt: skip


def test_generated_harmless_words_pass_and_parse() -> None:
    seen: list[str] = []

    @settings(max_examples=200, deadline=None)
    @given(HARMLESS, st.sampled_from(["service", "load", "from"]), st.data())
    def check(template: str, word: str, data: st.DataObject) -> None:
        cased = data.draw(_any_case(word))
        term = template.format(w=cased)
        iri = term.startswith("<") or (":" in term and term[0] not in "_\"'")
        query = (
            f"PREFIX ex: <urn:e:> PREFIX {cased}: <urn:w:> "
            f"SELECT * WHERE {{ ?s ?p {term} . ?s {term if iri else '?q'} ?o }}"
        )
        seen.append(query)
        guard_query(query, OURS)
        ORACLE.query(query)  # the engine parses it: a real query, not a strawman

    check()
    record_inputs("harmless uses of SERVICE/LOAD/FROM passed by the guard (hypothesis)", len(seen))


def _refused(query: str) -> bool:
    try:
        guard_query(query, OURS)
    except QueryRefusedError:
        return True
    return False
