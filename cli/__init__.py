"""The ``policygraph`` command: a thin layer over plain functions of the packages."""
