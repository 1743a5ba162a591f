"""統計: figures made from the registry through its door (docs/statistics.md)."""
