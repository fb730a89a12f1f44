"""Rare-earth supply chains after 2010: cited data, notebooks and reports."""

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (imported by altair, nbformat, the manifests and the registry) registers its "iri" format
# check only when rfc3987-syntax is importable, and that package (pulled in by jupyter-events) builds 38
# lark grammars on import: 2-4 s of every command's start and of every notebook kernel's first cell.
# Nothing in the project checks that format, so the package keeps it from being imported (jsonschema
# skips the check on ImportError). Every notebook imports rare_earths before altair.
sys.modules.setdefault("rfc3987_syntax", None)

try:
    __version__ = version("rare-earths")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
