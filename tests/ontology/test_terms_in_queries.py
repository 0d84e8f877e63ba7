"""Every ``pg:`` term the code and the named queries use is a term of the ontology.

A misspelt term in SPARQL is no error: the query runs and finds nothing. So every string
of the product's Python code (``pg:memberOf`` in a query, ``{ONTOLOGY_NS}memberList`` in
an f-string), every named query (``graph/queries/*.rq``) and the pages' templates and
scripts are read, and each ``pg:`` term
must be declared in ``ontology/policygraph.ttl``; a failure names the file, the line and
the term. Tests are left out: some spell unknown terms on purpose, to see them refused.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from graph import REPO_ROOT
from graph.iris import ONTOLOGY_NS
from ontology import ONTOLOGY_FILE

#: Where the product's Python code is.
PACKAGES = ("graph", "viz", "serving", "api", "cli", "ontology", "bench")
#: Files read as text: the named queries, the pages' templates and scripts (not vendored).
TEXTS = ("graph/queries/*.rq", "api/templates/**/*.html", "viz/templates/*.j2", "api/static/*.js")
#: ``pg:term`` (a prefixed name: letters, digits, ``_`` and ``-``, not ending with ``.``).
PREFIXED = re.compile(r"(?<![\w/#.-])pg:([A-Za-z_][\w-]*(?:\.[\w-]+)*)")
#: ``<https://w3id.org/policygraph/ontology#term>`` written out in full.
FULL = re.compile(re.escape(ONTOLOGY_NS) + r"([A-Za-z_][\w-]*)")

Use = tuple[str, int, str]  # (file, line, term)


@pytest.fixture(scope="module")
def declared() -> set[str]:
    graph = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    return {
        str(s)[len(ONTOLOGY_NS) :]
        for s in graph.subjects(rdflib.RDF.type, None)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(ONTOLOGY_NS)
    }


def terms_in_text(text: str) -> Iterator[tuple[int, str]]:
    """``(line within text, term)`` of each ``pg:`` term, prefixed or written out.

    >>> list(terms_in_text('SELECT ?f WHERE { ?x pg:memberOf ?f .\\n ?f a pg:Framework }'))
    [(1, 'memberOf'), (2, 'Framework')]
    """
    for lineno, line in enumerate(text.splitlines(), start=1):
        for pattern in (PREFIXED, FULL):
            for match in pattern.finditer(line):
                yield lineno, match.group(1)


def terms_in_python(path: Path) -> Iterator[Use]:
    """Each ``pg:`` term in a string of the module at ``path``, and each term after an
    ``{ONTOLOGY_NS}`` in an f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = str(path.relative_to(REPO_ROOT))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for offset, term in terms_in_text(node.value):
                yield name, node.lineno + offset - 1, term
        elif isinstance(node, ast.JoinedStr):
            for before, after in itertools.pairwise(node.values):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(before.value, ast.Name)
                    and before.value.id == "ONTOLOGY_NS"
                    and isinstance(after, ast.Constant)
                    and isinstance(after.value, str)
                    and (found := re.match(r"[A-Za-z_][\w-]*", after.value))
                ):
                    yield name, after.lineno, found.group(0)


def all_uses() -> list[Use]:
    uses: list[Use] = []
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            uses.extend(terms_in_python(path))
    for path in sorted(p for pattern in TEXTS for p in REPO_ROOT.glob(pattern)):
        name = str(path.relative_to(REPO_ROOT))
        uses.extend((name, line, term) for line, term in terms_in_text(path.read_text("utf-8")))
    return uses


def test_every_pg_term_in_the_code_and_the_named_queries_is_declared(
    declared: set[str],
) -> None:
    uses = all_uses()
    files = {file for file, _, _ in uses}
    assert any(f.endswith(".rq") for f in files) and any(f.endswith(".py") for f in files)
    unknown = [f"{file}:{line}: pg:{term}" for file, line, term in uses if term not in declared]
    assert not unknown, "terms the ontology does not declare:\n" + "\n".join(unknown)


def test_a_misspelt_term_is_found_with_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declared: set[str]
) -> None:
    module = tmp_path / "graph" / "typo.py"
    module.parent.mkdir()
    module.write_text(
        'QUERY = """\nSELECT ?f WHERE {\n  ?x pg:memberof ?f\n}"""\n'
        'PART = f"<{ONTOLOGY_NS}partof>"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(f"{__name__}.REPO_ROOT", tmp_path)
    uses = list(terms_in_python(module))
    assert uses == [("graph/typo.py", 3, "memberof"), ("graph/typo.py", 5, "partof")]
    assert not {term for _, _, term in uses} & declared
