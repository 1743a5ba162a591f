"""The 在外選挙人名簿's pure rules (no Django, no database)."""
