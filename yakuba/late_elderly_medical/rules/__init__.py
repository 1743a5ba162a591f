"""The 後期高齢者医療保険料 engine: pure rules (no Django, no database), parameters by 年度 in data/."""
