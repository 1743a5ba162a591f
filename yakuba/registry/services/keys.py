"""Re-encrypting 個人番号 with the current key (key rotation, 番号法 安全管理措置).

After a new key is put first in ``YAKUBA_DATA_KEYS``, new ciphertexts use it at once; this job
rewrites the old ones (current rows, archive, history and the events that carry 個人番号: the
stored bytes change, the content does not), in batches, so the old key can then be removed.
"""

from __future__ import annotations

from django.db import transaction

from yakuba.platform import crypto
from yakuba.platform.audit.log import Action, record
from yakuba.platform.linkage import restricted
from yakuba.platform.tenancy.context import require_tenant
from yakuba.registry.models import Resident, ResidentArchive, ResidentHistory
from yakuba.registry.services.records import my_number_context

BATCH = 1000


def rotate_my_number_keys() -> int:
    """Rewrite every 個人番号 ciphertext not made with the current key; returns how many rows
    (住民票, 除票, history and events) were rewritten."""
    tenant = require_tenant()
    current = crypto.current_key_id()
    total = 0
    for model in (Resident, ResidentArchive, ResidentHistory):
        last_id = 0
        while True:
            with transaction.atomic(using=tenant.alias):
                rows = list(
                    model.objects.filter(id__gt=last_id)
                    .exclude(my_number_encrypted="")
                    .exclude(my_number_encrypted__startswith=f"{crypto.VERSION}:{current}:")
                    .order_by("id")
                    .values_list("id", "atena_no", "my_number_encrypted")[:BATCH]
                )
                if not rows:
                    break
                for id_, atena_no, token in rows:
                    context = my_number_context(tenant.lg_code, atena_no)
                    fresh = crypto.encrypt(crypto.decrypt(token, context=context), context=context)
                    model.objects.filter(id=id_).update(my_number_encrypted=fresh)
                last_id = rows[-1][0]
                total += len(rows)
    total += restricted.rotate()
    if total:
        record(Action.UPDATE, "my_number_keys", detail={"rotated": total, "key": current})
    return total
