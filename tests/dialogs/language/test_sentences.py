"""Sentences, quotes, note headings and reported views: who holds a belief, read from form."""

from __future__ import annotations

import pytest

from dialogs.language.misconceptions import detect
from dialogs.language.sentences import pieces
from dialogs.language.words import fold
from knowledge import KnowledgeBase


def test_a_quote_opening_a_sentence_is_a_piece_of_its_own() -> None:
    said = list(pieces(fold("'B2B buyers are robots' - have you ever met one?")))
    assert said == [("b2b buyers are robots", True), (" - have you ever met one?", False)]


def test_a_quote_inside_the_students_own_sentence_stays_theirs() -> None:
    said = list(pieces(fold("I profiled them as 'male, 18-30, students' and stopped there.")))
    assert [quoted for _, quoted in said] == [False]


def test_a_pasted_exchange_quotes_the_other_speaker_but_asks_their_questions() -> None:
    said = list(pieces(fold("jo: whats CLV? me: one purchase / jo: no, it's all of them")))
    assert said == [("whats clv?", False), ("one purchase", False), ("no, it is all of them", True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jay: segmentation is just targeting / me: nah, splitting comes first", []),
        ("jo: is clv one purchase? me: yeah", ["mc_clv_single_purchase"]),
        (
            "jo: whats segmentation? me: its just deciding who ur selling to",
            ["mc_segmentation_vs_targeting"],
        ),
        (
            "ben: digital marketing is only social media / me: yeah basically",
            ["mc_digital_is_social"],
        ),
    ],
)
def test_in_an_exchange_only_the_students_own_view_counts(
    kb: KnowledgeBase, text: str, expected: list[str]
) -> None:
    assert [m.id for m in detect(kb, text)] == expected


def test_a_note_heading_reads_as_a_definition() -> None:
    assert list(pieces(fold("Segmentation: choosing who to sell to"))) == [
        ("segmentation is choosing who to sell to", False)
    ]
    assert list(pieces(fold("Digital marketing - promoting a firm on social media"))) == [
        ("digital marketing is promoting a firm on social media", False)
    ]
    # A flashcard whose front is only the term defines it; a question on the front asks.
    assert list(pieces(fold("Front: Segmentation / Back: choosing who to sell to"))) == [
        ("segmentation is choosing who to sell to", False)
    ]
    assert list(pieces(fold("Front: How many segments? / Back: as many as possible"))) == [
        ("how many segments?", False),
        ("as many as possible", False),
    ]
    # A comparison heading, or a line that already defines, is left as written.
    for text in ("psycho vs behavioural: attitudes vs actions", "plan: segment = pick 40 accounts"):
        assert list(pieces(fold(text))) == [(fold(text), False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The student answers a reported view with their own belief.
        (
            "Leah says the gym should have different messages for students and retirees. "
            "Disagree, the same advert for everyone gets more sign ups.",
            "mc_mass_marketing_better",
        ),
        (
            "Tom said we should add values and hobbies to the persona but I disagree, the "
            "demographics already cover everything that matters",
            "mc_demographics_only",
        ),
        # A quoted view mocked, then the student's own belief.
        (
            "omg 'benefits not features' again, people buy whatever has the most features",
            "mc_features_sell",
        ),
        (
            "Segmentation: choosing the target group for your product",
            "mc_segmentation_vs_targeting",
        ),
        ("Behavioural: high repeat purchase -> high satisfaction", "mc_loyal_means_satisfied"),
        # A negated "split" denies the split, not the things split.
        (
            "why does the diploma split sales and marketing when its literally one job?",
            "mc_sales_equals_marketing",
        ),
        ("email isnt really digital marketing, digital is the socials", "mc_digital_is_social"),
        (
            "the bakery doesnt need seo or emails, a facebook page covers digital",
            "mc_digital_is_social",
        ),
    ],
)
def test_beliefs_read_from_form(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert [m.id for m in detect(kb, text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Hana wrote that segmentation and targeting are the same. I disagreed in my feedback.",
        "Kai said sales and marketing are the same. Wrong, they need different skills.",
        "'it's got 50 features, it'll sell itself' - said every failed gadget ever",
        "Anyone who thinks B2B is purely rational has never sat through a tender.",
        "Mass marketing looks attractive because it reaches everyone, but that's misleading.",
        "Social media marketing is one type of digital marketing.",
    ],
)
def test_views_that_are_not_the_students(kb: KnowledgeBase, text: str) -> None:
    assert detect(kb, text) == []


def test_a_self_test_keeps_the_cards_statement_apart_from_the_students_reason() -> None:
    said = list(pieces(fold("T/F: trust matters in B2B buying -> false, they just compare prices")))
    assert said == [("trust matters in b2b buying", True), ("they just compare prices", False)]
    # A statement the student marks true is theirs.
    assert list(pieces(fold("true or false? CLV is one purchase. true"))) == [
        ("clv is one purchase", False)
    ]


def test_a_filled_gap_reads_as_the_sentence_completed() -> None:
    said = list(
        pieces(fold("Fill the gap: ____ is picking which group to aim at. -> segmentation"))
    )
    assert said == [("segmentation is picking which group to aim at", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "T/F: profiles need regular reviewing -> false, customers dont change",
            ["mc_static_profiles"],
        ),
        (
            "T/F: segmentation and targeting are the same -> F, segmentation finds the groups, "
            "targeting picks which ones to serve",
            [],
        ),
        (
            "T/F: B2B markets can be segmented by industry -> false, segmentation only works "
            "for B2C",
            ["mc_b2b_cannot_segment"],
        ),
    ],
)
def test_self_tests_are_marked_by_the_students_answer(
    kb: KnowledgeBase, text: str, expected: list[str]
) -> None:
    assert [m.id for m in detect(kb, text)] == expected


def test_a_classmate_tagged_at_the_start_is_not_part_of_the_sentence() -> None:
    said = list(pieces(fold("@Tom why would u redo the persona every year? @Sam: agreed")))
    assert said == [("why would u redo the persona every year?", False), ("agreed", False)]


def test_a_bulleted_list_is_one_sentence_so_the_next_line_can_point_back_to_it() -> None:
    said = list(pieces(fold("gym profile:\n- age 18-30\n- income £20k+\nthats all u need")))
    assert said == [("gym profile is age 18-30, income £20k+", False), ("thats all u need", False)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An answer that says yes signs up to the question it answers.
        ("Q: is segmentation n targeting the same thing? A: yep", ["mc_segmentation_vs_targeting"]),
        ("Q: is clv just one purchase? A: no, its every purchase over time", []),
        # "what is X? A: Y" defines X.
        ("q: wat is digital marketing a: social media", ["mc_digital_is_social"]),
        ("Q: what did Jake say CLV was? A: one purchase. he got marked down for it", []),
    ],
)
def test_a_question_and_its_answer(kb: KnowledgeBase, text: str, expected: list[str]) -> None:
    assert [m.id for m in detect(kb, text)] == expected
