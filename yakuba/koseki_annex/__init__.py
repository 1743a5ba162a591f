"""戸籍の附票: the 住所 history of every 本籍人 of this town (docs/koseki_annex.md)."""
