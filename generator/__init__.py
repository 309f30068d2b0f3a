"""Timeline: a static website generator for dated, sourced chronologies."""

__version__ = "0.2.0"
