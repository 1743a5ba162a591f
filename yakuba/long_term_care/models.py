"""介護保険 第1号被保険者 資格 tables: the members, the 資格 history and the feed position.

The shapes are the platform's (``linkage.qualification``, ``linkage.consumer``), shared with
後期: individual 資格 by residence and age. The insurer is the municipality (facts §4.1).
第2号 (40–64 in a 医療保険) is the 医療保険's to know, not kept here.
"""

from __future__ import annotations

from yakuba.platform.linkage.consumer import FeedCursor
from yakuba.platform.linkage.qualification import Insured, QualificationRecord


class Member(Insured):
    """A person 介護 knows of (``excluded`` unused yet: 適用除外施設 入所者 are out of scope)."""


class Qualification(QualificationRecord):
    """The 資格 history (table ``<app>_qualification``)."""


class FeedPosition(FeedCursor):
    """How far the consumer has read the feed."""
