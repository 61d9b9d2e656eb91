"""The clinical knowledge base: reviewed data files with provenance, and their loader."""

from trdnav.core.knowledge.loader import (
    Provenance,
    Status,
    data_dir,
    knowledge_version,
    load_document,
)

__all__ = ["Provenance", "Status", "data_dir", "knowledge_version", "load_document"]
