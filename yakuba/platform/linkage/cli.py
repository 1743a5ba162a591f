"""``yakuba webhook`` subcommands."""

from __future__ import annotations

from yakuba.platform.argtypes import add_encoding_argument
from yakuba.platform.cli_support import command, group
from yakuba.platform.errors import CliError

MIN_AGE, MAX_AGE = 60, 30 * 24 * 3600  # as the API (SubscriptionIn.max_age_seconds)


def _tenant(lg_code: str):
    from yakuba.platform.tenancy.context import UnknownTenant, alias_for

    try:
        alias_for(lg_code)
    except UnknownTenant:
        raise CliError(
            f"団体コード {lg_code} はこのシステムに登録されていません（yakuba municipality add {lg_code}）"
        ) from None


def _cmd_subscribe(args) -> int:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.identity.models import ApiClient
    from yakuba.platform.linkage import webhooks
    from yakuba.platform.tenancy.context import tenant_context

    if not MIN_AGE <= args.max_age <= MAX_AGE:
        raise CliError(f"--max-age は {MIN_AGE}〜{MAX_AGE} 秒です: {args.max_age}")
    _tenant(args.lg_code)
    client = ApiClient.objects.filter(lg_code=args.lg_code, name=args.client, revoked_at__isnull=True).first()
    if client is None:
        raise CliError(
            f"クライアント {args.client} は {args.lg_code} に登録されていません（yakuba token create）"
        )
    if "events:read" not in client.scopes:
        raise CliError(f"クライアント {args.client} に events:read スコープがありません")
    types = [t for t in (args.types or "").split(",") if t]
    try:
        with bind_actor(SYSTEM), tenant_context(args.lg_code):
            sub, secret = webhooks.subscribe(client.id, args.url, types, args.max_age)
    except webhooks.SubscriptionError as exc:
        raise CliError(str(exc)) from None
    print(f"Webhook {sub.id} を登録しました: {sub.url}")
    print(f"署名用シークレット（再表示できません）: {secret}")
    return 0


def _cmd_list(args) -> int:
    from yakuba.platform.linkage.models import Subscription
    from yakuba.platform.tenancy.context import tenant_context

    _tenant(args.lg_code)
    with tenant_context(args.lg_code):
        for s in Subscription.objects.order_by("id"):
            dead = s.dead_letters.filter(redelivered_at__isnull=True).count()
            state = "有効" if s.active else "停止"
            print(f"{s.id}\t{state}\t{s.url}\t配信済 {s.delivered_count}\t未配信(DLQ) {dead}\t{s.last_error}")
    return 0


def _cmd_dead_letters(args) -> int:
    from yakuba.platform.linkage.models import DeadLetter
    from yakuba.platform.tenancy.context import tenant_context

    _tenant(args.lg_code)
    with tenant_context(args.lg_code):
        rows = DeadLetter.objects.filter(redelivered_at__isnull=True).select_related("event")
        if args.subscription:
            rows = rows.filter(subscription_id=args.subscription)
        for d in rows.order_by("id"):
            print(
                f"{d.id}\t{d.subscription_id}\t{d.event.event_id}\t{d.event.type}\t試行 {d.attempts}\t{d.last_error}"
            )
    return 0


def _cmd_redeliver(args) -> int:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage import webhooks
    from yakuba.platform.tenancy.context import tenant_context

    _tenant(args.lg_code)
    if not args.dead_letter and not args.subscription:
        raise CliError("--dead-letter ID または --subscription ID を指定してください")
    with bind_actor(SYSTEM), tenant_context(args.lg_code):
        done = webhooks.redeliver(args.dead_letter or None, subscription_id=args.subscription)
    print(f"{done} 件を再送しました")
    return 0


def _cmd_export(args) -> int:
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.linkage.files import FileLinkageError, produce, producers
    from yakuba.platform.tenancy.context import tenant_context

    _tenant(args.lg_code)
    domains = [args.domain] if args.domain else [p.domain for p in producers()]
    for domain in domains:  # every domain that produces files, unless one is named
        try:
            with bind_actor(SYSTEM), tenant_context(args.lg_code):
                entry = produce(domain, args.kind, encoding=args.encoding)
        except FileLinkageError as exc:
            raise CliError(str(exc)) from None
        label = "全件" if entry.kind == "full" else "差分"
        print(
            f"{label}ファイルを書き出しました: {entry.path}（{entry.rows} 件、sha256 {entry.sha256[:16]}…）"
        )
    return 0


def _cmd_files(args) -> int:
    from yakuba.platform.linkage.models import LinkageFile
    from yakuba.platform.tenancy.context import tenant_context

    _tenant(args.lg_code)
    with tenant_context(args.lg_code):
        for f in LinkageFile.objects.order_by("period_to"):
            since = f.period_from.isoformat() if f.period_from else "-"
            print(f"{f.domain}\t{f.kind}\t{since}\t{f.period_to.isoformat()}\t{f.rows}\t{f.path}")
    return 0


def register(sub, lg_code_type) -> None:
    lsub = group(sub, "linkage", "連携ファイル（全件・差分）")
    q = command(lsub, "export", "全件または差分ファイルとマニフェストを書き出す", _cmd_export, lg_code_type)
    q.add_argument("--domain", help="業務（省略時はファイルを出すすべての業務）")
    q.add_argument("--kind", choices=["full", "diff"], default="diff", help="full（全件）または diff（差分）")
    add_encoding_argument(q)
    command(lsub, "files", "書き出した連携ファイルの一覧", _cmd_files, lg_code_type)

    wsub = group(sub, "webhook", "Webhook（イベントの送信先）の管理")
    q = command(
        wsub,
        "subscribe",
        "クライアントの Webhook を登録する（署名用シークレットを1度だけ表示）",
        _cmd_subscribe,
        lg_code_type,
    )
    q.add_argument("--client", required=True, help="API クライアント名（events:read が必要）")
    q.add_argument(
        "--url",
        required=True,
        help="送信先 URL（https://。内部向けのアドレスや http:// は YAKUBA_WEBHOOK_ALLOW_HOSTS で許可したものだけ）",
    )
    q.add_argument("--types", default="", help="イベント種別の前方一致（カンマ区切り、省略で全種別）")
    q.add_argument("--max-age", type=int, default=24 * 3600, help="配信を試みる最大秒数（既定 86400）")
    command(wsub, "list", "Webhook の一覧と状態", _cmd_list, lg_code_type)
    q = command(wsub, "dead-letters", "配信できなかったイベント", _cmd_dead_letters, lg_code_type)
    q.add_argument("--subscription", type=int)
    q = command(wsub, "redeliver", "配信できなかったイベントを再送する", _cmd_redeliver, lg_code_type)
    q.add_argument("--dead-letter", type=int, action="append", help="再送する ID（複数可）")
    q.add_argument("--subscription", type=int, help="この Webhook の未配信をすべて再送")
