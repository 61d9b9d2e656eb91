"""Cross-cutting pages: the home page, the health endpoint and the shared layout."""
