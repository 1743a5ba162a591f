"""The certificates app's only door: issue, verify, the 交付履歴 and the issuing settings."""
