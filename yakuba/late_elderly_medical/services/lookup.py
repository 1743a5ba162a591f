"""Reads of the 後期高齢者医療 staff screens: a person's 資格 照会 and the month's 75歳到達 (the
資格確認書 to send: insurance-welfare-facts §3.1). The shared reads of an individual 資格
book (``platform.linkage.insured_reads``) with 後期's book, its 事由 and the registry's door."""

from __future__ import annotations

from yakuba.late_elderly_medical.codes import AcquiredReason
from yakuba.late_elderly_medical.services.qualification import BOOK
from yakuba.platform.linkage.insured_reads import InsuredReads
from yakuba.registry import services as registry

READS = InsuredReads(BOOK, AcquiredReason.AGE, "後期高齢者医療の資格照会", registry)
