"""統計 staff screens: the dashboard (docs/statistics.md, "Dashboard")."""
