"""The 子ども・子育て支援 (保育) rules: pure Python, no Django (docs/childcare.md)."""
