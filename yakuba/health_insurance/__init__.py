"""国民健康保険 (the glossary's ``health_insurance``): so far the 国民健康保険税/料 engine of one 世帯
for one 年度 (docs/health_insurance.md); 資格 records and the annual 本算定 come later."""
