"""Writing one benchmark's section into ``docs/benchmarks.md``, leaving the others as they are."""

from __future__ import annotations

from graph import REPO_ROOT

DOC = REPO_ROOT / "docs" / "benchmarks.md"


def write_section(section: str) -> None:
    """Replace the section whose ``## `` heading starts ``section`` (or append it) and print it."""
    print(section)
    heading = section.split("\n", 1)[0]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    start = text.find(heading + "\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        rest = text[end + 1 :] if end >= 0 else ""
        text = text[:start] + section.rstrip("\n") + "\n" + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")
