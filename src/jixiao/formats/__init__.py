"""File formats on top of the core: each module reads or writes one format."""
