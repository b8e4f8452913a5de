"""sitegen: a static site generator for institutional news sections."""

__version__ = "0.1.0"
