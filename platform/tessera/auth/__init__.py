"""Authentication: argon2 passwords, opaque bearer tokens (sessions and API tokens), CSRF."""
