"""Treatment courses: a planned course of a protocol, its session records, overrides,
amendments and REMS reports (issue 12)."""
