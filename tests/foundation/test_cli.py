"""The ``tutor`` command line, run as a newcomer would: a real process, real stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def tutor(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment |= env or {}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment | {"PYTHONPATH": str(Path(__file__).parents[2])},
        timeout=60,
        check=False,
    )


def test_help_explains_every_subcommand(tmp_path: Path) -> None:
    result = tutor("--help", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("run", "chat", "db", "kb"):
        assert name in result.stdout
    for sub in (("chat",), ("run",), ("db", "upgrade"), ("kb", "check")):
        assert tutor(*sub, "--help", cwd=tmp_path).returncode == 0


def test_chat_reads_stdin_and_prints_replies(tmp_path: Path) -> None:
    result = tutor("chat", stdin="/start\n/help\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "revision tutor" in result.stdout
    assert "[1] 📝 Quiz me" in result.stdout
    assert "/help — Every command" in result.stdout
    assert "<b>" not in result.stdout  # HTML is rendered as plain text
    assert (tmp_path / "data" / "tutor.db").exists()  # the embedded default database


def test_chat_number_presses_a_button(tmp_path: Path) -> None:
    result = tutor("chat", stdin="/start\n5\n", cwd=tmp_path)  # [5] is Help
    assert result.returncode == 0, result.stderr
    assert "What I can do" in result.stdout


def test_run_without_token_is_one_clear_line(tmp_path: Path) -> None:
    result = tutor("run", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "tutor: TELEGRAM_BOT_TOKEN is not set: get one from @BotFather."


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "mysql://x/y"}, "tutor: DATABASE_URL must be SQLite"),
        ({"TELEGRAM_API_BASE_URL": "nope"}, "tutor: TELEGRAM_API_BASE_URL must be an http(s) URL"),
    ],
)
def test_bad_settings_stop_start_up_without_traceback(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = tutor("run", env={"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, **env}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(expected)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = tutor("db", "upgrade", env={"DATABASE_URL": url}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "x.db").exists()


def test_kb_check_is_clean_for_the_shipped_content(tmp_path: Path) -> None:
    result = tutor("kb", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kb_check_lists_terms_the_tutor_cannot_read(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "lexicon.yaml").write_text(
        'lexicon:\n  - id: broken_term\n    terms: ["a|b|(c d)", "buy|pay for|paying for"]\n',
        encoding="utf-8",
    )
    result = tutor("kb", "check", str(extra), cwd=tmp_path)
    assert result.returncode == 1
    assert "Reading\n  lexicon.yaml: broken_term: term 'a|b|(c d)'" in result.stdout
    assert "'pay' stands at two places in a row; a phrase among alternatives" in result.stdout
    assert result.stdout.rstrip().endswith("NOT CLEAN: 2 reading problem(s).")


def test_mark_reads_json_lines_and_answers_each(tmp_path: Path) -> None:
    lines = "\n".join(
        [
            '{"kind": "misconception", "text": "sales and marketing are the same thing"}',
            "not json at all",
            '{"kind": "typed", "question": "classify", "item": "age", "text": "demografic"}',
        ]
    )
    result = tutor("mark", "-", stdin=lines + "\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, broken, typed = (json.loads(line) for line in result.stdout.splitlines())
    assert first["misconceptions"] == ["mc_sales_equals_marketing"]
    assert "error" in broken
    assert typed["verdict"] == "right"


def test_mark_a_file_that_cannot_be_read_is_one_clear_line(tmp_path: Path) -> None:
    result = tutor("mark", str(tmp_path / "missing.jsonl"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("tutor: cannot read")
