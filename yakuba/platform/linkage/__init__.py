"""庁内データ連携: outbox events, the pull feed, webhooks and linkage files (docs/reference/contract.md#events, #linkage-files)."""
