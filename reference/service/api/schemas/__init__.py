"""Per-resource response schemas of API v1. Requests use the canonical model directly."""
