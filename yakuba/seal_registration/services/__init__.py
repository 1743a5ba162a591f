"""The 印鑑登録 app's door (docs/seal_registration.md): what its callers and other domains use.

- ``registrations``: register (same day or through the 照会書), the 回答書, 廃止届, 亡失届, the
  registration of a person or a card, the seal's image (audited).
- ``certificate``: the 印鑑登録証明書 on the certificates app's machinery (the card required).
- ``follow``: the registry's events — 転出 → 廃止, 死亡・消除 → 抹消, a new 氏名 the seal no
  longer shows → 抹消.
- ``ordinance``: the municipality's 印鑑条例 settings in force on a day, their history, a new
  version (管理者).
- ``guardianship``: the 法務局's 登記事項通知 of 成年後見 → 抹消 where the 条例 says so.
"""

from yakuba.seal_registration.services import certificate, follow, guardianship, ordinance, registrations

__all__ = ["certificate", "follow", "guardianship", "ordinance", "registrations"]
