"""Which database the analytics queries read (docs/analytics.md, "Read replica").

With ``DATABASE_READ_URL`` set, the settings define a second alias, ``replica``, and every
analytics query runs there, off the primary (``trdnav.databases`` decides, for every app).
Replication lag makes the numbers a little older; for counts over months that is acceptable,
and the page says when the numbers were read.
"""

from __future__ import annotations

from trdnav.databases import REPLICA as ANALYTICS_ALIAS
from trdnav.databases import analytics_db_alias

__all__ = ["ANALYTICS_ALIAS", "analytics_db_alias"]
