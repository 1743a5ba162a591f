"""後期高齢者医療 (the municipality's part): the premium engine (docs/late_elderly_medical.md)."""
