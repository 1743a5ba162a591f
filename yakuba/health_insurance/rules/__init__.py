"""The 国民健康保険税/料 rules as pure Python: the premium engine and its parameters by 年度 (no Django)."""
