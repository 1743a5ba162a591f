"""The tax rules as pure Python: the 個人住民税 engine and its parameters by 年度 (no Django)."""
