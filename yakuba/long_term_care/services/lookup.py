"""Reads of the 介護保険 staff screens: a person's 第1号 資格 照会 and the month's 65歳到達 (the
被保険者証 to send: insurance-welfare-facts §4.1). The shared reads of an individual 資格 book
(``platform.linkage.insured_reads``) with 介護's book, its 事由 and the registry's door."""

from __future__ import annotations

from yakuba.long_term_care.codes import AcquiredReason
from yakuba.long_term_care.services.qualification import BOOK
from yakuba.platform.linkage.insured_reads import InsuredReads
from yakuba.registry import services as registry

READS = InsuredReads(BOOK, AcquiredReason.AGE, "介護保険の資格照会", registry)
