"""The knowledge and everything that reads or writes it: curated data, the store, the
build, named queries, evidence checks, exports and analysis."""

from pathlib import Path

__all__ = ["DATA_DIR", "DEFAULT_SOURCE", "QUERIES_DIR", "REPO_ROOT"]

_HERE = Path(__file__).resolve().parent

#: The curated Turtle shipped with the package.
DATA_DIR: Path = _HERE / "data"
#: The named queries (one ``.rq`` file each).
QUERIES_DIR: Path = _HERE / "queries"
#: The checkout this package runs from (``graph/`` sits at its top level).
REPO_ROOT: Path = _HERE.parent
#: The report's text, where a checkout finds it: ``../shared/sources/`` beside the repository.
DEFAULT_SOURCE: Path = REPO_ROOT.parent / "shared" / "sources" / "jk-vision-group-2025.ja.txt"
