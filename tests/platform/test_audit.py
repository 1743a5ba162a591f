"""The audit log: same transaction as the work, append-only, hash-chained, verifiable."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connections

from tests.conftest import AIZU, CHIYODA, owner_cursor
from yakuba.cli import main
from yakuba.platform.audit.log import Actor, audited, bind_actor, note, record, verify
from yakuba.platform.audit.models import AuditEntry
from yakuba.platform.tenancy.context import tenant_context

pytestmark = pytest.mark.django_db


def _write(lg_code: str, n: int, **kw) -> None:
    with tenant_context(lg_code):
        for i in range(n):
            record("read", "resident", subjects=[str(i)], **kw)


def _superuser_tamper(sql: str, params=()) -> None:
    # A superuser can switch triggers off (session_replication_role = replica): the one way
    # around the append-only triggers. verify must still find what was changed.
    with owner_cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def test_rows_carry_actor_subjects_and_a_gapless_chain(aizu, chiyoda):
    actor = Actor(
        "client", "tax-app", terminal="本庁1", ip="10.0.0.5", zone="mynumber", request_id="req-12345678"
    )
    with bind_actor(actor):
        _write(AIZU, 3, purpose="課税資料", my_number_shown=True)
        _write(CHIYODA, 1)
    with tenant_context(AIZU):
        rows = list(AuditEntry.objects.order_by("chain_no"))
    assert [r.chain_no for r in rows] == [1, 2, 3]
    first = rows[0]
    assert (first.actor_type, first.actor, first.terminal, first.ip, first.zone) == (
        "client",
        "tax-app",
        "本庁1",
        "10.0.0.5",
        "mynumber",
    )
    assert (first.subject_ids, first.purpose, first.my_number_shown, first.request_id) == (
        ["0"],
        "課税資料",
        True,
        "req-12345678",
    )
    assert all(len(r.hash) == 64 for r in rows) and len({r.hash for r in rows}) == 3
    # Each municipality has its own chain.
    with tenant_context(CHIYODA):
        assert list(AuditEntry.objects.values_list("chain_no", flat=True)) == [1]
    assert verify(AIZU) == (3, None)


def test_rolled_back_work_leaves_no_audit_row(aizu, system_actor):
    with pytest.raises(ZeroDivisionError):
        with tenant_context(AIZU):
            record("read", "resident", subjects=["1"])
            1 / 0  # noqa: B018 - the work fails after the row was written
    with tenant_context(AIZU):
        assert AuditEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"])
def test_update_and_delete_are_refused_even_for_the_owner(aizu, system_actor, statement):
    _write(AIZU, 1)
    with pytest.raises(DatabaseError, match="追記のみ"):
        with owner_cursor() as cursor:
            cursor.execute(statement)  # superuser connection, no tenant: the trigger still refuses


def test_the_application_role_may_not_truncate(aizu, system_actor):
    _write(AIZU, 1)
    with pytest.raises(DatabaseError, match="permission denied"):
        with tenant_context(AIZU), connections["default"].cursor() as cursor:
            cursor.execute("TRUNCATE audit_entry")


@pytest.mark.django_db(transaction=True)
def test_verify_reports_the_exact_tampered_row(aizu, system_actor, capsys):
    _write(AIZU, 5)
    _superuser_tamper("UPDATE audit_entry SET purpose = '改ざん' WHERE lg_code = %s AND chain_no = 3", [AIZU])
    assert main(["audit", "verify", AIZU]) == 1
    err = capsys.readouterr().err
    assert "改ざんを検出しました" in err and "連番 3（" in err and "内容とハッシュが一致しません" in err


@pytest.mark.django_db(transaction=True)
def test_verify_reports_a_deleted_row(aizu, system_actor, capsys):
    _write(AIZU, 4)
    _superuser_tamper("DELETE FROM audit_entry WHERE lg_code = %s AND chain_no = 2", [AIZU])
    assert main(["audit", "verify", AIZU]) == 1
    err = capsys.readouterr().err
    assert "連番 3（" in err and "欠番" in err


@pytest.mark.django_db(transaction=True)
def test_verify_reports_a_recomputed_hash_at_the_next_row(aizu, system_actor):
    # Rewriting a row *and* its hash breaks the link to the following row.
    _write(AIZU, 4)
    _superuser_tamper(
        "UPDATE audit_entry SET purpose = 'x', hash = repeat('0', 64) WHERE lg_code = %s AND chain_no = 2",
        [AIZU],
    )
    _count, broken = verify(AIZU)
    assert broken.chain_no == 2
    _superuser_tamper(
        """UPDATE audit_entry e SET hash = encode(sha256(convert_to(
             (SELECT hash FROM audit_entry p WHERE p.lg_code = e.lg_code AND p.chain_no = 1)
             || audit_entry_canonical(e), 'UTF8')), 'hex') WHERE lg_code = %s AND chain_no = 2""",
        [AIZU],
    )
    _count, broken = verify(AIZU)
    assert broken.chain_no == 3


def test_intact_chain_verifies_with_exit_zero(aizu, system_actor, capsys):
    _write(AIZU, 2)
    assert main(["audit", "verify", AIZU]) == 0
    assert "2 件のハッシュ連鎖は正常です" in capsys.readouterr().out


def test_audited_declaration_records_subject_and_noted_details(aizu, system_actor):
    @audited("read", "resident", subject="atena_no", purpose="窓口照会")
    def show(atena_no: str):
        note(subjects=["setai-9"], my_number_shown=True, screen="個人照会")
        return "ok"

    with tenant_context(AIZU):
        assert show("00000017") == "ok"
        row = AuditEntry.objects.get()
    assert row.subject_ids == ["00000017", "setai-9"]
    assert row.my_number_shown and row.purpose == "窓口照会" and row.detail == {"screen": "個人照会"}


def test_recording_without_a_bound_actor_fails_loudly(aizu):
    with pytest.raises(RuntimeError, match="no audit actor"):
        with tenant_context(AIZU):
            record("read", "resident")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(aizu):
    errors = []

    def worker(k: int) -> None:
        try:
            with bind_actor(Actor("system", f"w{k}")):
                for _ in range(10):
                    _write(AIZU, 1)
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert verify(AIZU) == (40, None)
