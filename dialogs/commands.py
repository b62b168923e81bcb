"""The command list: one place that /help, the Telegram command menu and the router share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """A slash command, the one line that explains it, and who it is for."""

    name: str
    summary: str
    usage: str = ""
    tutor_only: bool = False
    in_groups: bool = False
    """Answered in a group too (every other student command links to the private chat)."""


COMMANDS: tuple[Command, ...] = (
    Command("start", "Welcome and the main menu"),
    Command("quiz", "A short quiz: due reviews first, then new items", "/quiz [topic]"),
    Command("review", "Only the items due for review now"),
    Command("scenario", "Profile customers step by step in a case study", "/scenario [id]"),
    Command("resume", "Carry on with your scenario"),
    Command("hint", "A hint for the current scenario step"),
    Command("progress", "Your mastery, what is due and your streak"),
    Command("exam", "Set your exam date so reviews fit before it", "/exam 2027-01-15 | off"),
    Command("remind", "A daily quiz reminder at your time", "/remind 18:30 | off"),
    Command("timezone", "Set your time zone", "/timezone london"),
    Command("settings", "Your preferences"),
    Command("leaderboard", "Your class's top scores", "/leaderboard [week|all]", in_groups=True),
    Command("challenge", "Set a scenario challenge", "/challenge [scenario] [48h]", True),
    Command("groupquiz", "Quiz polls for the group", "/groupquiz [n] [topic]", True),
    Command("close", "Close what is open and post results", "/close", True),
    Command("schedule", "Recurring posts for the group", "/schedule [day time what]", True),
    Command("report", "A class report, privately", "/report [group] [csv]", True),
    Command("invite", "Invite another tutor", "/invite", True),
    Command("cancel", "Stop what you are doing"),
    Command("help", "Every command, one line each", in_groups=True),
)

BY_NAME: dict[str, Command] = {c.name: c for c in COMMANDS}
