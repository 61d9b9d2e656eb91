"""A patient's clinical profile (facts, preferences, medications, treatment history) and what
the core computes from it: TRD status, stages and the next-step options."""
