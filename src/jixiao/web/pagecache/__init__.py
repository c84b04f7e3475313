"""Whole-page cache of rendered GET pages, invalidated by a data generation that every database
write renews (docs/web.md, "Page cache")."""
