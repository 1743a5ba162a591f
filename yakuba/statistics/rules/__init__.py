"""The statistics app's pure rules (no Django, no database)."""
