"""Background jobs: a queue in the database, claimed by ``trdnav worker`` (docs/adr/0004)."""
