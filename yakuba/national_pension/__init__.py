"""国民年金 (the municipality's part): the 免除・納付猶予 judgement and the 20歳到達 rule (docs/national_pension.md)."""
