"""住民記録: the resident registry, the hub every other business area reads (住民記録システム標準仕様書).

Other domains use ``yakuba.registry.services`` (in process) or the HTTP API and events (out of
process), never the models.
"""
