"""Changing a mark after the fact: "↩️ Undo" the last answer, "⚖️ My answer was right", and
the student's own rating of a right answer (Again / Hard / Good / Easy, when turned on).

All rebuild the card from the review log (:func:`dialogs.quiz.scheduling.recompute`): an
undone answer's review is deleted and a contested one is re-rated Good, then the log is
replayed, so the schedule is exactly what the remaining reviews give. An answer can be undone
within ``UNDO_WINDOW`` and only while it is the quiz's latest; the question then waits again.
A contested mark is stored for the class's tutors; ``APPEALS_PER_DAY`` keeps a student who
contests everything from emptying the schedule.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fsrs import Rating
from sqlmodel import Session

from dialogs.context import Context
from dialogs.language.answers import dont_know
from dialogs.quiz.grading import REVEALED
from dialogs.quiz.questions import Question
from dialogs.quiz.scheduling import recompute, store
from dialogs.quiz.typed_grading import grade_text
from dialogs.quiz.view import pending_message
from dialogs.replies import ButtonOutcome, Message
from dialogs.text import bold
from storage.asking import (
    add_appeal,
    answer_review,
    appeal_for,
    appeals_since,
    delete_review,
    drop_question,
    question_after,
    unanswer,
)
from storage.cards import delete_card, get_card, reviews, save_card
from storage.models import Card, QuizQuestion, QuizSession, User
from storage.quizzes import load_question
from storage.users import get_user

UNDO_WINDOW = timedelta(minutes=10)
APPEALS_PER_DAY = 3
_MINUTES = int(UNDO_WINDOW.total_seconds() // 60)
_EXPIRED = ButtonOutcome(toast="That button has expired. Try /quiz for a fresh one.")
_TAGS = re.compile(r"<[^>]+>")


def rebuild_card(session: Session, *, user: User, item_id: str) -> Card | None:
    """The student's card for ``item_id`` replayed from the review log (deleted if none left)."""
    card = get_card(session, user_id=user.id, item_id=item_id)
    logged = [(r.reviewed_at, r.rating) for r in reviews(session, user_id=user.id, item_id=item_id)]
    replayed = recompute(logged, desired_retention=user.desired_retention, exam_date=user.exam_date)
    if replayed is None:
        if card is not None:
            delete_card(session, card=card)
        return None
    card = card or Card(user_id=user.id, item_id=item_id, due=replayed.due)
    return save_card(session, store(card, replayed))


def _mine(
    session: Session, ctx: Context, question_id: int
) -> tuple[QuizQuestion, QuizSession, User] | ButtonOutcome:
    found = load_question(session, question_id=question_id)
    user = get_user(session, user_id=ctx.person.id)
    if found is None or user is None or found[1].user_id != ctx.person.id:
        return _EXPIRED
    return found[0], found[1], user


async def undo_button(ctx: Context, question_id: int) -> ButtonOutcome:
    """Take the last answer back: review deleted, card replayed, the question asked again."""

    def undo(session: Session) -> ButtonOutcome:
        mine = _mine(session, ctx, question_id)
        if isinstance(mine, ButtonOutcome):
            return mine
        row, quiz, user = mine
        if row.answered_at is None:
            return ButtonOutcome(toast="That answer is already undone. ✔️")
        if ctx.now - row.answered_at > UNDO_WINDOW or quiz.status not in ("active", "finished"):
            return ButtonOutcome(
                toast=f"Too late to undo that one: answers can be undone for {_MINUTES} minutes."
            )
        following = question_after(session, question=row)
        if following is not None and following.answered_at is not None:
            return ButtonOutcome(toast="Only your latest answer can be undone.")
        review = answer_review(session, user_id=user.id, question=row)
        if review is not None:
            delete_review(session, review=review)
        rebuild_card(session, user=user, item_id=row.item_id)
        quiz.correct -= 1 if row.correct else 0
        if following is not None:
            drop_question(session, question=following)
            quiz.asked -= 1
        unanswer(session, question=row)
        quiz.status, quiz.updated_at = "active", ctx.now
        session.add(quiz)
        edit = Message(f"↩️ Answer undone: question {row.position} is back below.")
        return ButtonOutcome(
            toast="↩️ Undone", edit=edit, replies=[pending_message(row, size=quiz.size)]
        )

    return await ctx.db.run(undo)


async def rate_button(ctx: Context, question_id: int, rating: int) -> ButtonOutcome:
    """The student's own rating of a right answer (Anki's Again/Hard/Good/Easy) replaces ours."""
    if rating not in (1, 2, 3, 4):
        return _EXPIRED

    def rate(session: Session) -> ButtonOutcome:
        mine = _mine(session, ctx, question_id)
        if isinstance(mine, ButtonOutcome):
            return mine
        row, _quiz, user = mine
        if row.answered_at is None or not row.correct:
            return _EXPIRED
        if ctx.now - row.answered_at > UNDO_WINDOW:
            return ButtonOutcome(
                toast=f"Too late to rate that one: rate within {_MINUTES} minutes."
            )
        review = answer_review(session, user_id=user.id, question=row)
        if review is None:
            return _EXPIRED
        review.rating = rating
        session.add(review)
        session.flush()
        rebuild_card(session, user=user, item_id=row.item_id)
        return ButtonOutcome(toast=f"🎚 Rated {Rating(rating).name}: scheduled to match")

    return await ctx.db.run(rate)


def _plain(text: str) -> str:
    return html.unescape(_TAGS.sub("", text))


async def appeal_button(ctx: Context, question_id: int) -> ButtonOutcome:
    """Count a typed answer marked wrong as right for now, and tell the class's tutors."""

    def appeal(session: Session) -> ButtonOutcome:
        mine = _mine(session, ctx, question_id)
        if isinstance(mine, ButtonOutcome):
            return mine
        row, quiz, user = mine
        if row.answered_at is None or row.correct or row.answer is None:
            return _EXPIRED
        question = Question.from_payload(row.payload)
        if not question.typed or dont_know(row.answer) or row.answer == REVEALED:
            return _EXPIRED  # no such button was shown: a tapped option, or "I don't know"
        if appeal_for(session, question_id=question_id) is not None:
            return ButtonOutcome(toast="Already sent to your tutor. ✔️")
        if (
            appeals_since(session, user_id=user.id, since=ctx.now - timedelta(days=1))
            >= APPEALS_PER_DAY
        ):
            text = (
                f"You've contested {APPEALS_PER_DAY} marks today, the most I take in a day. "
                "If I keep misreading you, tell your tutor."
            )
            return ButtonOutcome(toast=text, alert=True)
        verdict = grade_text(question, row.answer)
        feedback = getattr(verdict, "feedback", getattr(verdict, "message", ""))
        review = answer_review(session, user_id=user.id, question=row)
        if review is not None:
            review.rating = int(Rating.Good)
            session.add(review)
            session.flush()
        rebuild_card(session, user=user, item_id=row.item_id)
        add_appeal(
            session,
            user_id=user.id,
            question=row,
            prompt=_plain(question.prompt),
            verdict=_plain(feedback),
            now=ctx.now,
        )
        row.correct = True
        quiz.correct += 1
        session.add_all([row, quiz])
        note = f"⚖️ {bold('Counted as right for now.')} Your tutor will check the marking."
        return ButtonOutcome(toast="⚖️ Sent to your tutor", edit=Message(f"{feedback}\n\n{note}"))

    return await ctx.db.run(appeal)
