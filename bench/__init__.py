"""Benchmarks (``make bench``): every figure next to a raw-PostgreSQL baseline from the same run."""
