"""Records of published forms: validation through the form engine, storage, history, queries."""
