"""The 国民年金 rules: the 免除・納付猶予・学生納付特例 income tests and the 20歳到達 資格取得 — pure, parameters by 年度 in data/."""
