"""The 就学 app's door: what its API and CLI call. The 学齢簿 is made on demand from the
registry's door (``yakuba.registry.services``) — this first increment keeps no tables.

- ``roll``: the 学齢簿 of the children entering 小学校 on a 4月1日 (contract "学齢簿 JSON"), its
  JSON and CSV, one audit row per roll made.
"""

from yakuba.school_enrollment.services import roll

__all__ = ["roll"]
