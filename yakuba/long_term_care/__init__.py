"""介護保険 (第1号被保険者): the 保険料段階 and 利用者負担割合 engines (docs/long_term_care.md)."""
