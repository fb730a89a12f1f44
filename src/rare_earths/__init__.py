"""Rare-earth supply chains after 2010: cited data, notebooks and reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rare-earths")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
