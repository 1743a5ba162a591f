"""The 選挙人名簿's pure rules (no Django): dates of civil-facts §1.3."""
