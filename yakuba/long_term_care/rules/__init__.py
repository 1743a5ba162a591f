"""The 介護保険 engines: 第1号 保険料段階 and 利用者負担割合 — pure rules, parameters by 年度 in data/."""
