"""Parameter declarations shared by every endpoint."""

from ninja import Path

from yakuba.platform.api.problems import Problem

LG_CODE = Path(..., pattern=r"^\d{6}$", description="全国地方公共団体コード（6桁、検査数字付き）")

# Error answers every tenant endpoint can give (documented so that clients and schemathesis
# know them): malformed request, no/bad token, missing scope, unknown resource, invalid input —
# and, from platform/hostile.py before any endpoint runs, a body over the size limit (413) or
# not JSON (415).
ERRORS = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    413: Problem,
    415: Problem,
    422: Problem,
}
