"""Writing one benchmark's section into ``docs/benchmarks.md`` (or another document, such as
``docs/reliability.md``), leaving the other sections as they are."""

from __future__ import annotations

from pathlib import Path

from graph import REPO_ROOT

DOC = REPO_ROOT / "docs" / "benchmarks.md"


def write_section(section: str, doc: Path = DOC) -> None:
    """Replace the section of ``doc`` whose ``## `` heading starts ``section`` (or append
    it) and print it."""
    print(section)
    heading = section.split("\n", 1)[0]
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# {doc.stem.title()}\n\n"
    start = text.find(heading + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        rest = text[end + 1 :] if end >= 0 else ""
        text = text[:start] + section.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")
