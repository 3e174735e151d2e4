"""Organisation: tenants, members, departments (the permissions issue extends it)."""
