"""The app registry: import, drafts, immutable published versions, export."""
