"""Tessera's four engines: pure interpreters of app definitions (no I/O, no platform imports)."""
