"""児童手当's pure rules: who is counted and paid in a month, each one's rank and amount."""
