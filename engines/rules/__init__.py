"""Tessera engine package."""
