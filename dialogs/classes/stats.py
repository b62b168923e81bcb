"""The numbers about a class, counted from what happened in its group.

Definitions (the tests check these numbers):

* Points: 1 for each group poll answered right first time, plus up to
  :data:`CHALLENGE_POINTS` for each challenge finished (its best run's score x 10, rounded).
* A challenge counts as *completed* when one of the student's runs of it is finished; its
  score is the best finished run's overall score.
* A marking point is *missed* on an attempted step that earns it when the step scored below
  :data:`~dialogs.scenarios.scores.WEAK`; the miss rate is misses over attempted steps.
* A base's *mastery* is the share of the class's answers on its variables that were right
  (rated Hard, Good or Easy) in the spaced-repetition log, group polls included.
* Students are the group's members minus its tutors; the anonymous-admin stand-in never counts.
* Private practice (reviews outside the group, misconceptions, last seen in private) is
  loaded only for students who joined the class (``GroupMember.joined_at``), and only when
  the reader may see it at all (``practice``): everyone else counts by what they did in the
  group, its poll answers standing in for reviews in base mastery.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.classes.roles import ANONYMOUS_ADMIN_ID
from knowledge.base import KnowledgeBase
from knowledge.models import BASES
from storage import challenges as challenge_store
from storage import group_quizzes as quiz_store
from storage import groups as store
from storage import tutors as tutor_store
from storage.db import Database
from storage.misconceptions import hit_counts_by_user
from storage.models import (
    Challenge,
    Group,
    PollRecord,
    PollVote,
    ReviewLog,
    ScenarioRun,
    StepAttempt,
    User,
)
from storage.scenarios import DONE

CHALLENGE_POINTS = 10
HIDDEN_NAME = "A classmate"
RIGHT_RATING = 2
"""Reviews rated at least Hard (2) were answered right."""


def display_name(user: User | None) -> str:
    """The first name shown to the class, or a neutral stand-in for students who opted out."""
    if user is None or user.hide_name or not user.first_name.strip():
        return HIDDEN_NAME
    return user.first_name.strip()[:32]


@dataclass
class ClassFacts:
    """Everything that happened in one group, loaded once and then only counted."""

    group: Group
    students: dict[int, User]
    member_seen: dict[int, datetime]
    challenges: list[Challenge]
    runs: list[ScenarioRun]
    attempts: dict[int, list[StepAttempt]]
    polls: list[PollRecord]
    votes: list[PollVote]
    reviews: dict[int, list[ReviewLog]] = field(default_factory=dict)
    hits: dict[int, dict[str, int]] = field(default_factory=dict)
    # The students whose private practice is in ``reviews`` and ``hits`` (they joined).
    sharing: set[int] = field(default_factory=set)

    @property
    def poll_by_id(self) -> dict[int, PollRecord]:
        """The group's polls by record id."""
        return {p.id: p for p in self.polls if p.id is not None}


async def gather(
    db: Database,
    group: Group,
    *,
    owners: Iterable[int] = (),
    practice: bool = False,
    challenge_ids: Sequence[int] | None = None,
    quiz_ids: Sequence[int] | None = None,
) -> ClassFacts:
    """Load the group's activity; ``practice`` adds the private practice (reviews and
    misconceptions) of the students who joined the class, for a tutor's report.

    ``challenge_ids``/``quiz_ids`` narrow the activity to those (for a results post).
    """
    group_id = group.id
    assert group_id is not None

    def load(session: Session) -> ClassFacts:
        for challenge in challenge_store.challenges_of(session, group_id=group_id):
            challenge_store.claim_runs(session, challenge=challenge)
        tutors = tutor_store.group_tutor_ids(session, group_id=group_id)
        excluded = tutors | set(owners) | {ANONYMOUS_ADMIN_ID}
        members = store.members(session, group_id=group_id)
        seen = {m.user_id: m.last_seen for m in members if m.user_id not in excluded}
        users = tutor_store.users_by_id(session, user_ids=list(seen))
        students = {uid: users[uid] for uid in seen if uid in users}
        challenges = challenge_store.challenges_of(session, group_id=group_id)
        if challenge_ids is not None:
            challenges = [c for c in challenges if c.id in challenge_ids]
        runs = challenge_store.challenge_runs(
            session, challenge_ids=[c.id for c in challenges if c.id is not None]
        )
        runs = [r for r in runs if r.user_id in students]
        attempts: dict[int, list[StepAttempt]] = defaultdict(list)
        for attempt in tutor_store.attempts_of_runs(
            session, run_ids=[r.id for r in runs if r.id is not None]
        ):
            attempts[attempt.run_id].append(attempt)
        quizzes = quiz_store.quizzes_of(session, group_id=group_id)
        wanted = [q.id for q in quizzes if q.id is not None]
        if quiz_ids is not None:
            wanted = [q for q in wanted if q in quiz_ids]
        polls = [p for p in quiz_store.quiz_polls(session, quiz_ids=wanted) if p.poll_id]
        votes = quiz_store.votes_for(session, record_ids=[p.id for p in polls if p.id])
        votes = [v for v in votes if v.user_id in students]
        facts = ClassFacts(group, students, seen, challenges, runs, dict(attempts), polls, votes)
        if practice:
            sharing = [m.user_id for m in members if m.joined_at and m.user_id in students]
            by_user: dict[int, list[ReviewLog]] = defaultdict(list)
            for review in tutor_store.reviews_of(session, user_ids=sharing):
                by_user[review.user_id].append(review)
            facts.reviews = dict(by_user)
            facts.hits = hit_counts_by_user(session, user_ids=sharing)
            facts.sharing = set(sharing)
        return facts

    return await db.run(load)


def best_challenge_scores(runs: Iterable[ScenarioRun]) -> dict[tuple[int, int], float]:
    """(student, challenge) -> the best finished run's score (0-1)."""
    best: dict[tuple[int, int], float] = {}
    for run in runs:
        if run.status != DONE or run.challenge_id is None or run.score is None:
            continue
        key = (run.user_id, run.challenge_id)
        best[key] = max(best.get(key, 0.0), run.score)
    return best


def points(facts: ClassFacts, since: datetime | None = None) -> dict[int, int]:
    """Student -> points earned (since ``since``): right poll answers and finished challenges."""
    totals: Counter[int] = Counter({uid: 0 for uid in facts.students})
    for vote in facts.votes:
        if vote.correct and (since is None or vote.at >= since):
            totals[vote.user_id] += 1
    finished: dict[tuple[int, int], datetime] = {}
    for run in facts.runs:
        if run.status == DONE and run.challenge_id is not None:
            key = (run.user_id, run.challenge_id)
            finished[key] = min(finished.get(key, run.updated_at), run.updated_at)
    for key, score in best_challenge_scores(facts.runs).items():
        if since is None or finished[key] >= since:
            totals[key[0]] += round(score * CHALLENGE_POINTS)
    return dict(totals)


@dataclass(frozen=True)
class Standing:
    """One line of a leaderboard."""

    rank: int
    user_id: int
    name: str
    points: int


def leaderboard(facts: ClassFacts, since: datetime | None = None) -> list[Standing]:
    """Every student with points, best first; equal points share a rank."""
    scored = [(p, uid) for uid, p in points(facts, since).items() if p > 0]
    scored.sort(key=lambda item: (-item[0], display_name(facts.students[item[1]]), item[1]))
    table: list[Standing] = []
    for index, (score, uid) in enumerate(scored):
        rank = table[-1].rank if table and table[-1].points == score else index + 1
        table.append(Standing(rank, uid, display_name(facts.students[uid]), score))
    return table


@dataclass(frozen=True)
class BaseMastery:
    """How well the class does on one segmentation base."""

    base: str
    right: int
    answers: int

    @property
    def mastery(self) -> float | None:
        """Share right, or None before any answer."""
        return self.right / self.answers if self.answers else None


def base_mastery(kb: KnowledgeBase, reviews: Iterable[ReviewLog]) -> list[BaseMastery]:
    """Mastery per base, lowest first; bases nobody has practised yet come last."""
    right: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    for review in reviews:
        variable = kb.variables.get(review.item_id)
        if variable is None:
            continue
        answers[variable.base] += 1
        right[variable.base] += int(review.rating >= RIGHT_RATING)
    found = [BaseMastery(base, right[base], answers[base]) for base in BASES]
    return sorted(found, key=lambda b: (b.mastery is None, b.mastery or 0.0, b.base))


def group_answers(facts: ClassFacts) -> list[ReviewLog]:
    """The group poll answers of students whose practice is not shared, as reviews (rated
    Good when right, Again when wrong), so base mastery counts them too."""
    polls = facts.poll_by_id
    return [
        ReviewLog(
            user_id=vote.user_id,
            item_id=polls[vote.poll_record_id].item_id,
            rating=3 if vote.correct else 1,
            source="group",
            reviewed_at=vote.at,
        )
        for vote in facts.votes
        if vote.user_id not in facts.sharing and vote.poll_record_id in polls
    ]


def week_start(now: datetime) -> datetime:
    """The start of the rolling week the weekly leaderboard counts."""
    return now - timedelta(days=7)
