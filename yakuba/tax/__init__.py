"""個人住民税 and the other local taxes (税務システム標準仕様書): a separate app on the common data.

It reads the resident registry only through the registry's door and events, as an outside
vendor's app would (docs/tax.md).
"""
