"""The 戸籍's pure rules (no Django, no database): order, formation, deadlines, 振り仮名, characters."""
