"""Running queries and rendering their results for people and programs."""

from graph.query.results import RESULT_FORMATS, render_results

__all__ = ["RESULT_FORMATS", "render_results"]
