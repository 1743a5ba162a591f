"""The 印鑑登録 app's door (docs/seal_registration.md): what its callers and other domains use.

- ``registrations``: register (same day or through the 照会書), the 回答書, 廃止届, 亡失届, the
  registration of a person or a card, the seal's image (audited).
- ``certificate``: the 印鑑登録証明書 on the certificates app's machinery (the card required).
- ``follow``: the registry's events — 転出 → 廃止, 死亡・消除 → 抹消, a new 氏名 the seal no
  longer shows → 抹消.
"""

from yakuba.seal_registration.services import certificate, follow, registrations

__all__ = ["certificate", "follow", "registrations"]
