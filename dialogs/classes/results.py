"""What the class sees in the group: challenge and quiz results posts and the leaderboard."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dialogs.classes.misses import hardest_poll, missed_points
from dialogs.classes.stats import (
    ClassFacts,
    Standing,
    best_challenge_scores,
    display_name,
)
from dialogs.text import bold, esc, italic, pct
from knowledge.base import KnowledgeBase
from storage.models import Challenge, PollRecord

TOP = 3


LEADERBOARD_SIZE = 10


MEDALS = ("🥇", "🥈", "🥉")


def leaderboard_html(title: str, table: Sequence[Standing], window: str) -> str:
    """The leaderboard as posted in the group: first names only."""
    head = f"🏆 {bold('Leaderboard')} · {esc(title)} · {esc(window)}"
    if not table:
        return (
            f"{head}\n\nNo points yet. Answer a class quiz or finish a challenge to get on "
            "the board!"
        )
    lines = []
    for standing in table[:LEADERBOARD_SIZE]:
        badge = MEDALS[standing.rank - 1] if standing.rank <= len(MEDALS) else f"{standing.rank}."
        lines.append(f"{badge} {esc(standing.name)}: {standing.points} pts")
    foot = italic("1 point per right poll answer, up to 10 per finished challenge.")
    return f"{head}\n\n" + "\n".join(lines) + f"\n\n{foot}"


def _podium(entries: Sequence[tuple[str, str]]) -> list[str]:
    return [f"{MEDALS[i]} {esc(name)}: {esc(score)}" for i, (name, score) in enumerate(entries)]


def challenge_results_html(kb: KnowledgeBase, challenge: Challenge, facts: ClassFacts) -> str:
    """The post at a challenge's deadline: participation, top scores, a teaching moment."""
    scenario = kb.scenarios.get(challenge.scenario_id)
    title = scenario.title if scenario else challenge.scenario_id
    runs = [r for r in facts.runs if r.challenge_id == challenge.id]
    started = {r.user_id for r in runs}
    best = {
        uid: score
        for (uid, cid), score in best_challenge_scores(runs).items()
        if cid == challenge.id
    }
    lines = [f"🏁 {bold('Challenge closed')}: {esc(title)}", ""]
    if not started:
        lines.append(
            "Nobody took part this time. It's still a great case to practise: "
            f"/scenario {esc(challenge.scenario_id)}"
        )
        return "\n".join(lines)
    lines.append(
        f"👥 {len(started)} took part and {len(best)} finished "
        f"(out of {max(len(facts.students), len(started))} students I've seen here)."
    )
    ranked = sorted(
        best.items(), key=lambda item: (-item[1], display_name(facts.students[item[0]]))
    )
    if ranked:
        lines += ["", bold("Top scores")]
        top = [(display_name(facts.students[uid]), pct(score)) for uid, score in ranked[:TOP]]
        lines += _podium(top)
    misses = missed_points(kb, runs, facts.attempts)
    if misses:
        miss = misses[0]
        lines += [
            "",
            f"🎯 {bold('Teaching moment')}: {miss.missed} of {miss.tries} answers to "
            f"{esc(miss.where)} left out {italic(miss.label)}.",
        ]
        if miss.teach:
            lines.append(f"Why it matters: {esc(miss.teach)}")
    lines += ["", f"Want another go? /scenario {esc(challenge.scenario_id)} in a private chat."]
    return "\n".join(lines)


def quiz_results_html(facts: ClassFacts, polls: Sequence[PollRecord], topic: str) -> str:
    """The post after a group quiz's last poll closed."""
    ids = {p.id for p in polls}
    votes = [v for v in facts.votes if v.poll_record_id in ids]
    voters = {v.user_id for v in votes}
    head = f"🧠 {bold('Class quiz results')}" + (f" · {esc(topic)}" if topic else "")
    if not voters:
        return f"{head}\n\nNobody answered this time. Next one's yours!"
    right: Counter[int] = Counter({uid: 0 for uid in voters})
    for vote in votes:
        right[vote.user_id] += int(vote.correct)
    questions = f"{len(polls)} question{'s' if len(polls) != 1 else ''}"
    lines = [head, "", f"👥 {len(voters)} took part in {questions}."]
    ranked = sorted(right.items(), key=lambda i: (-i[1], display_name(facts.students.get(i[0]))))
    top = [
        (display_name(facts.students.get(uid)), f"{score}/{len(polls)}")
        for uid, score in ranked[:TOP]
        if score > 0
    ]
    if top:
        lines += ["", bold("Top scores"), *_podium(top)]
    hardest = hardest_poll(polls, votes)
    if hardest is not None:
        poll, got, answered = hardest
        lines += [
            "",
            f"🎯 {bold('Teaching moment')}: only {got} of {answered} got this one right:",
            italic(poll.question),
            f"✅ {esc(poll.options[poll.correct_option])}",
        ]
    return "\n".join(lines)
