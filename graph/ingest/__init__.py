"""Ingesting a new document: its text, the names of known entities in it (mentions), what
the graph lacks (candidates), and the review that turns them into graph facts.

See docs/ingest.md for the folder layout, the Turtle written and the review statuses.
"""
