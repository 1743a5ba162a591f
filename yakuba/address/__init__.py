"""住所辞書 (address master): the 町字 of a municipality, with their postal codes and 番地 ranges.

住民記録システム標準仕様書 lists the 住所辞書 among the items a 住民記録 system keeps
(docs/address.md): every address written on a 住民票 names a 町字 of the municipality's own
master, so that 〒965-0000「存在しない町」 cannot be recorded. The master is common data: the
registry checks its addresses against it, and any other area (tax, insurance, elections) reads it
through ``yakuba.address.services``.
"""
