"""The HTTP edge of the reference service: routes, schemas, dependencies, problem responses."""
