"""The 附票記載事項通知 as files (住民基本台帳法 第19条1項; docs/koseki_annex.md, "The notice file").

In: a file from other 住所地 about 本籍人 of this town — read whole (``rules/notice_file``),
refused whole with every bad line named, taken in once (its SHA-256), each line a 附票 row unless
it repeats the person's last one. Out: the notices the registry consumer queued for residents
whose 本籍 is elsewhere, one file per 本籍地, each notice marked with the file that sent it, so a
second run sends only what is new.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from yakuba.koseki_annex.codes import Direction, Source
from yakuba.koseki_annex.models import NoticeFile, OutgoingNotice
from yakuba.koseki_annex.rules.entries import AddressLine
from yakuba.koseki_annex.rules.notice_file import Notice, read_notices, write_notices
from yakuba.koseki_annex.services.rows import Candidate, Person, append
from yakuba.platform.audit.log import Action, current_actor, record
from yakuba.platform.file_issues import FileRejected, Issue
from yakuba.platform.private_files import open_private
from yakuba.platform.tenancy.context import require_tenant

PURPOSE = "戸籍の附票記載事項通知（住民基本台帳法第19条）"


@dataclass(frozen=True)
class TakenIn:
    file_id: int
    lines: int
    rows: int  # lines that were a new 住所 (the others repeated the person's last row)


def take_in(data: bytes, *, file_name: str) -> TakenIn:
    """Take in a notice file addressed to this town, all or nothing (call in one transaction, as
    ``tenant_command`` does). Raises FileRejected naming every bad line, or the file already
    taken in."""
    lg_code = require_tenant().lg_code
    notices = read_notices(data, receiver=lg_code, today=timezone.localdate())
    sha256 = hashlib.sha256(data).hexdigest()
    before = NoticeFile.objects.filter(direction=Direction.IN, sha256=sha256).first()
    if before is not None:
        taken = timezone.localtime(before.created_at).date().isoformat()
        raise FileRejected(
            [Issue(1, "", f"この通知ファイルは {taken} に取り込み済みです（{before.file_name}）")]
        )
    senders = sorted({n.sender for n in notices})
    file = NoticeFile.objects.create(
        lg_code=lg_code, direction=Direction.IN, counterpart=senders[0] if len(senders) == 1 else "",
        file_name=file_name[:200], sha256=sha256, lines=len(notices), created_at=timezone.now(),
        created_by=current_actor().name,
    )  # fmt: skip
    rows = append(
        [
            Candidate(
                n.honseki,
                n.hittosha,
                Person(n.juminhyo_code, n.name, n.birth_date, n.sex, protected=n.protected),
                n.line,
                Source.NOTICE,
                f"{file.pk}:{n.line_no}",
            )
            for n in notices
        ],
        purpose=PURPOSE,
        detail={"file": file.pk, "file_name": file.file_name, "senders": senders},
    )
    return TakenIn(file.pk, len(notices), rows)


@dataclass(frozen=True)
class SentFile:
    receiver: str
    path: Path
    notices: int


def unsent_count() -> int:
    """How many 附票記載事項通知 wait to be sent (one count on the partial index of unsent ones)."""
    return OutgoingNotice.objects.filter(file__isnull=True).count()


def send_out(directory: Path) -> list[SentFile]:
    """Write the notices not sent yet, one file per 本籍地 in ``directory`` (mode 0600: they hold
    本籍 and 住民票コード), and mark them sent — in the caller's transaction, so a failure leaves
    them to be sent again. One SELECT for all of them, one UPDATE per file."""
    lg_code = require_tenant().lg_code
    pending = list(OutgoingNotice.objects.filter(file__isnull=True).order_by("receiver", "id"))
    by_receiver: dict[str, list[OutgoingNotice]] = {}
    for n in pending:
        by_receiver.setdefault(n.receiver, []).append(n)
    today, now, actor = timezone.localdate(), timezone.now(), current_actor().name
    sent: list[SentFile] = []
    for receiver, notices in by_receiver.items():
        text = write_notices(_notice(lg_code, n) for n in notices)
        body = text.encode()
        path = directory / f"fuhyo-notice-{lg_code}-{receiver}-{today:%Y%m%d}-{notices[0].pk}.csv"
        file = NoticeFile.objects.create(
            lg_code=lg_code, direction=Direction.OUT, counterpart=receiver, file_name=path.name,
            sha256=hashlib.sha256(body).hexdigest(), lines=len(notices), created_at=now, created_by=actor,
        )  # fmt: skip
        OutgoingNotice.objects.filter(pk__in=[n.pk for n in notices]).update(file=file)
        with open_private(path, encoding="utf-8") as fh:
            fh.write(text)
        record(
            Action.EXPORT,
            "koseki_annex.outgoing_notice",
            purpose=PURPOSE,
            subjects=sorted({n.atena_no for n in notices}),
            detail={"file": file.pk, "file_name": path.name, "receiver": receiver, "notices": len(notices)},
        )
        sent.append(SentFile(receiver, path, len(notices)))
    return sent


def _notice(sender: str, n: OutgoingNotice) -> Notice:
    return Notice(
        line_no=0,
        sender=sender,
        receiver=n.receiver,
        honseki=n.honseki,
        hittosha=n.hittosha,
        juminhyo_code=n.juminhyo_code,
        name=n.name,
        birth_date=n.birth_date,
        sex=n.sex,
        line=AddressLine(n.address, n.address_set_on, overseas=n.overseas, country=n.country),
        protected=n.protected,
    )
