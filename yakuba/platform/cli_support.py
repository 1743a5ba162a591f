"""What every domain's command needs around its work on one municipality."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from yakuba.platform.errors import CliError

LG_CODE_HELP = "全国地方公共団体コード（6桁、検査数字付き。例: 072028）"


def read_input(path: str) -> bytes:
    """A file the operator named, or one line saying why it cannot be read (exit status 2)."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise CliError(f"ファイルを読めません: {path}（{exc.strerror}）") from None


@contextmanager
def tenant_command(lg_code: str) -> Iterator[None]:
    """Run the body as the system actor, confined to ``lg_code``, in one transaction.

    An unregistered municipality is one line for the operator (exit status 2), with the command
    that registers it — never a traceback.
    """
    from yakuba.platform.audit.log import SYSTEM, bind_actor
    from yakuba.platform.tenancy.context import UnknownTenant, tenant_context

    try:
        with bind_actor(SYSTEM), tenant_context(lg_code):
            yield
    except UnknownTenant:
        raise CliError(
            f"団体コード {lg_code} はこのシステムに登録されていません（yakuba municipality add {lg_code}）"
        ) from None


def group(sub, name: str, help: str = "", *, dest: str = "action", metavar: str = "ACTION"):
    """The subcommands of ``yakuba <name>``, created on first use and shared after it.

    Shared so that several domains add to one group — ``yakuba import residents`` (the
    registry) beside ``yakuba import <what>`` of another domain — without one domain owning the
    group's parser.
    """
    parser = sub.choices.get(name)
    if parser is None:
        parser = sub.add_parser(name, help=help)
        actions = parser.add_subparsers(dest=dest, metavar=metavar)
        actions.required = True
        parser.actions = actions
    return parser.actions


def command(actions, name: str, help: str, handler, lg_code_type=None):
    """One action of a group; with ``lg_code_type`` its first argument is the municipality."""
    parser = actions.add_parser(name, help=help)
    if lg_code_type is not None:
        parser.add_argument("lg_code", metavar="LG_CODE", type=lg_code_type, help=LG_CODE_HELP)
    parser.set_defaults(handler=handler)
    return parser


def workers_argument(parser) -> None:
    """``--workers N`` of a batch that calculates on forked processes (platform.forked)."""
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        choices=range(0, 17),
        metavar="N",
        help="計算に使うプロセス数（既定 2、0 は同じプロセスで計算）",
    )
