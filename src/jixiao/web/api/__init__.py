"""Open-data API: read-only JSON of published tables, projects and indicators (docs/api.md)."""
