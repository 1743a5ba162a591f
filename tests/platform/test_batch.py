"""A batch run twice at once: the later process stops with one line for the operator, never a
traceback (the CLI prints what ``explain_exception`` says)."""

from yakuba.platform.commands import explain_exception
from yakuba.platform.errors import RunConflict


def test_a_run_conflict_is_one_line_for_the_operator():
    message = "2026年度の当初課税は別の処理が進めています（やり直してください）"
    assert explain_exception(RunConflict(message)) == message
