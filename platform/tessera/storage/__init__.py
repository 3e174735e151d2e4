"""Typed form tables: naming, the runtime Table objects, and the schema planner."""
