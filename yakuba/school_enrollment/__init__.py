"""就学: the 学齢簿 of the children entering 小学校, from the registry's door (docs/school_enrollment.md)."""
