"""The 附票's pure rules: the items by the law in force on a date and what a copy shows
(items.py), what a registry 異動 writes on it (entries.py), which town holds a 本籍
(domicile.py), and the 附票記載事項通知 file (notice_file.py)."""
