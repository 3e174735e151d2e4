"""Tessera platform: loads definitions, calls the engines, applies their effects."""

__version__ = "0.1.0"
