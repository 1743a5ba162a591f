"""The printed 保育 documents (insurance-welfare-facts §9.2, "Documents"): the 支給認定証 (the
latest version of a 認定: 認定証番号, 号, 保育必要量, 有効期間) and the 利用者負担額決定通知書 (a
決定's months and amounts, re-issued in September with the new 年度's tax), each addressed to the
first parent the 認定 names, with the child's and parents' 氏名 and the address read through the
registry's door.

A child (or parent) under 支援措置 is not printed for a caller who may not see them (the
registry's ``NotFound``); every print is an audit row naming the persons it shows.
"""

from __future__ import annotations

from django.utils import timezone

from yakuba.childcare.models import Certification, FeeDetermination
from yakuba.childcare.rules.certification import KINDS, NEEDS
from yakuba.childcare.services.common import PURPOSE, latest_certification, parent_atenas
from yakuba.platform import pdf
from yakuba.platform.audit.log import Action, record
from yakuba.platform.japanese.wareki import format_wareki
from yakuba.platform.municipalities import lookup
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry import services as registry


def _people(cert: Certification, protected: bool) -> dict:
    """The child and the addressee (the first parent with a 宛名番号, else the child's 世帯主),
    masked for the caller: ``registry.NotFound`` for anyone hidden from them."""
    visibility = registry.Visibility(protected=protected)
    child = registry.get_resident(cert.child_atena_no, visibility=visibility)
    parents = parent_atenas(cert)
    addressee = registry.get_resident(parents[0], visibility=visibility) if parents else child
    return {
        "child": child,
        "addressee": addressee,
        "municipality": lookup(require_tenant().lg_code).full_name,
        "issued_on": format_wareki(timezone.localdate()),
        "subjects": [cert.child_atena_no, *parents[:1]],
    }


def certificate_pdf(certificate_no: str, *, protected: bool = False) -> bytes:
    """The 支給認定証 of the latest version of ``certificate_no`` (``LookupError``: no such 認定)."""
    cert = latest_certification(certificate_no)
    if cert is None:
        raise LookupError(certificate_no)
    people = _people(cert, protected)
    context = {
        **people,
        "title": "子どものための教育・保育給付 支給認定証",
        "cert": cert,
        "kind": KINDS[cert.kind],
        "need": NEEDS.get(cert.need, "—"),
        "valid_from": format_wareki(cert.valid_from),
        "valid_until": format_wareki(cert.valid_until),
        "birth": format_wareki(people["child"].birth_date) if people["child"].birth_date else "",
    }
    record(
        Action.PRINT,
        "childcare.certificate",
        subjects=people["subjects"],
        purpose=PURPOSE,
        detail={"certificate_no": certificate_no},
    )
    return pdf.render("childcare/documents/certificate.html", context, stylesheets=(pdf.NOTICE_CSS,))


def fee_notice_pdf(decision_no: str, *, protected: bool = False) -> bytes:
    """The 利用者負担額決定通知書 of a 決定 (``LookupError``: no such 決定)."""
    rows = list(FeeDetermination.objects.filter(decision_no=decision_no).order_by("from_month"))
    if not rows:
        raise LookupError(decision_no)
    cert = latest_certification(rows[0].certificate_no)
    people = _people(cert, protected)
    context = {
        **people,
        "title": "保育の利用者負担額決定通知書",
        "cert": cert,
        "kind": KINDS[cert.kind],
        "decided_on": format_wareki(rows[0].decided_on),
        "rows": rows,
    }
    record(
        Action.PRINT,
        "childcare.fee_notice",
        subjects=people["subjects"],
        purpose=PURPOSE,
        detail={"decision_no": decision_no},
    )
    return pdf.render("childcare/documents/fee_notice.html", context, stylesheets=(pdf.NOTICE_CSS,))
