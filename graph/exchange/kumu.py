"""A workbook Kumu imports as it stands: an ``Elements`` and a ``Connections`` sheet.

Column names are Kumu's (docs.kumu.io, "Structure your data for Kumu" and "How do I avoid
duplicating data?", read 2026-12-05): elements have ``ID`` first, then ``Label``, ``Type``,
``Description`` and ``Tags``; connections have ``ID``, ``From``, ``To``, ``Type``,
``Direction``, ``Label``. Because the elements have IDs, ``From`` and ``To`` hold element
IDs (Kumu's rule), and a second import updates elements and connections instead of
duplicating them. Other columns become Kumu fields: ``Label (ja)``, ``Label (ko)``,
``Member list``, ``Degree``; ``Role``, ``Start date``, ``End date``, ``Status``,
``Evidence``.

``Tags`` are the element's class and its broader classes (``Actor|Country``), pipe-separated
as Kumu expects. A connection's ``Label`` (drawn on the line) is its role. Every text is
stored as a text cell, so no spreadsheet runs it as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

from graph.analysis.classes import superclasses
from graph.exchange.model import ExchangeGraph

__all__ = ["CONNECTION_COLUMNS", "ELEMENT_COLUMNS", "write_kumu"]

ELEMENT_COLUMNS = (
    "ID", "Label", "Type", "Description", "Tags", "Label (ja)", "Label (ko)", "Member list",
    "Degree",
)  # fmt: skip
CONNECTION_COLUMNS = (
    "ID", "From", "To", "Type", "Direction", "Label", "Role", "Start date", "End date",
    "Status", "Evidence",
)  # fmt: skip


def write_kumu(graph: ExchangeGraph, handle: IO[bytes]) -> None:
    """Write ``graph`` as an XLSX workbook for Kumu to ``handle``."""
    book = Workbook(write_only=True)
    elements = book.create_sheet("Elements")
    _append(elements, ELEMENT_COLUMNS)
    for node in graph.nodes:
        tags = "|".join(sorted({node.type, *superclasses(node.type)}))
        _append(
            elements,
            (node.id, node.label, node.type, node.description, tags, node.label_ja,
             node.label_ko, node.member_list, node.degree),
        )  # fmt: skip
    connections = book.create_sheet("Connections")
    _append(connections, CONNECTION_COLUMNS)
    for edge in graph.edges:
        _append(
            connections,
            (edge.id, edge.source, edge.target, edge.relation, "directed", edge.role, edge.role,
             edge.start_date, edge.end_date, edge.status, edge.evidence),
        )  # fmt: skip
    book.save(handle)


def _append(sheet: object, values: Iterable[object]) -> None:
    """One row; strings as text cells (never formulas), numbers as numbers."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)  # type: ignore[attr-defined]
