"""Timeline: a static website generator for dated, sourced chronologies."""

__version__ = "0.1.0"
