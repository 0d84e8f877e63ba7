"""The build: parse, validate, materialise and write the store (see :mod:`.pipeline`)."""

from graph.build.pipeline import BuildReport, Sources, build_store, load_sources, validate_sources

__all__ = ["BuildReport", "Sources", "build_store", "load_sources", "validate_sources"]
