"""The treatment history: the document editor, its pages, the save service and the snapshots."""
