"""住民記録 staff screens: search, 個人照会, 世帯照会, 異動入力, 支援措置 (server-rendered + htmx)."""
