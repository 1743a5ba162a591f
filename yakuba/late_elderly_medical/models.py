"""後期高齢者医療 資格 tables: the members, the 資格 history and the feed position.

The shapes are the platform's (``linkage.qualification``, ``linkage.consumer``): 後期 and 介護
第1号 keep individual 資格 by residence and age the same way. The 広域連合 decides 資格 (facts
§3.1); these are the municipality's 窓口 records it reports from.
"""

from __future__ import annotations

from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.linkage.qualification import Insured, QualificationRecord


class Member(Insured):
    """A person 後期 knows of; ``excluded``: 生活保護 受給者 (高確法 §51), set by the clerk."""


class Qualification(QualificationRecord):
    """The 資格 history (table ``<app>_qualification``)."""


class FeedPosition(FeedCursor):
    """How far the consumer has read the feed."""
