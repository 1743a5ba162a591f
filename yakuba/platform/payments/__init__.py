"""支払 (口座振込) shared by the domains that pay benefits: runs of a 支払月, their payments and the
全銀協 総合振込 file (``runs``, ``zengin``; docs/payments.md)."""
