"""Whose view a side of a sentence states, and what holds a claim back: concessions,
sentences set aside by "However", reporters, and questions read from their opening."""

from __future__ import annotations

import pytest

from dialogs.language.misconceptions import detect
from knowledge import KnowledgeBase


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A granted side ("ok i see X, but Y") does not hold back the claim on the other side.
        (
            "ok i see some people are stuck on contracts but generally if they repeat buy "
            "theyre happy with you",
            "mc_loyal_means_satisfied",
        ),
        (
            "ok yeah the sales figures go out of date but the profile itself stays the same",
            "mc_static_profiles",
        ),
        (
            "the exam tip says put one psychographic and one behavioural element in the profile "
            "but thats just the same thing twice",
            "mc_psycho_behavioural_same",
        ),
        # "only X if Y, otherwise Z": the exception does not hold back the default rule.
        (
            "i reckon you only redo a profile if the business totally changes what it sells, "
            "otherwise it stays valid forever",
            "mc_static_profiles",
        ),
        # A sentence that points back with "that"/"these" early on continues the one before.
        (
            "Don't bother trying to work out your customers' lifestyles. You can't measure that, "
            "so stick to hard data.",
            "mc_psychographics_unmeasurable",
        ),
        # A reported view the student then agrees with is theirs.
        (
            "my mum said her regulars must love the cafe cos they come in every day. i agreed",
            "mc_loyal_means_satisfied",
        ),
        # "i'm pretty sure X?" states X, as "pretty sure X?" does.
        ("im pretty sure marketing is just another word for selling?", "mc_sales_equals_marketing"),
        # "put" reports only as "Kai put it..."; a firm that "puts" specs on a box is an example.
        (
            "Samsung puts every spec on the box and look how many they sell, features are what "
            "sell it",
            "mc_features_sell",
        ),
        # An answer that makes the claim on its own words is read, though the question's
        # words come first.
        (
            "Q: Why update profiles? A: u dont, proflies stay the same so no point updateing",
            "mc_static_profiles",
        ),
        # Taking a point back and restating it about "them" keeps the same subjects.
        (
            "psychographic is values and behavioural is... no wait theyre the same, both about "
            "what people do",
            "mc_psycho_behavioural_same",
        ),
        # A bare "nothing," answers the question; it does not negate what follows it. A
        # "no" typed on without a comma still answers.
        (
            "whats the difference between a salesman and a marketer? nothing, both just want "
            "ur money",
            "mc_sales_equals_marketing",
        ),
        (
            "whats the diff between sales and marketing? there isnt one its all flogging stuff",
            "mc_sales_equals_marketing",
        ),
        # A statement backed by a question after it is stated: the question does not make
        # the whole sentence ask.
        (
            "if someone keeps buying from u they must like u, why else would they come back?",
            "mc_loyal_means_satisfied",
        ),
        (
            "CLV is just the price of the thing they bought, whats so hard about that?",
            "mc_clv_single_purchase",
        ),
        # "I'd say X?" is an unsure statement, like "I think X?".
        (
            "id say more segments is always better? extra detail cant hurt",
            "mc_more_segments_better",
        ),
        # "How do you X? You can't": what was asked cannot be done.
        ("how do u segment companies? u cant, they not people", "mc_b2b_cannot_segment"),
        # "False, X" gives a verdict on a quiz statement; X is the student's own.
        (
            "False, you can only segment consumers, businesses can't be segmented",
            "mc_b2b_cannot_segment",
        ),
        # Disagreeing with the bot, or being disagreed with, keeps the student's view theirs.
        (
            "I disagree with the bot, for the fashion site profile you only need age, gender and "
            "income bracket, the rest is fluff",
            "mc_demographics_only",
        ),
        (
            "For the fashion site I left psychographics out because values can't be measured, "
            "only guessed at. My teacher disagreed.",
            "mc_psychographics_unmeasurable",
        ),
    ],
)
def test_the_students_own_view_is_caught(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert [m.id for m in detect(kb, text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # Without a concession, a limit on one side still qualifies the other.
        "mass marketing can work for stuff everyone buys like salt, but most firms do better "
        "segmenting",
        # "However" sets the sentence before aside: its words do not complete a claim after it.
        "Mass marketing can work for products almost everyone buys, like salt. However, for "
        "the gym, segmenting is more effective because members have different needs.",
        # A sentence opening "or are there..." asks.
        "should u always go for the biggest segment? or are there times when a smaller niche "
        "one is actually better",
        "My work placement supervisor said you can't segment trade customers, but then showed "
        "me their CRM which already groups them by trade.",
        # "A, but B": B's claim uses only B's words unless B points back to A.
        "our biggest segment is families, but we target retirees",
        # A belief taken back ("hmm no actually", "no scrap that", "...nah, could be habit").
        "psychographics cant be measured... wait actually likert scales measure attitudes",
        "CLV is one purchase... no scrap that, its all their purchases over time added up",
        "loyal = satisfied?... nah, could be habit or switching costs",
        # A long sentence after a question that sets out where it comes from does not answer it.
        "are sales and marketing actually different jobs? in my work placement at a print shop "
        "the same person does both so i cant tell where one ends and the other starts",
        "Can B2B markets actually be segmented? I'm not sure how it would work for a plumbing "
        "firm with mostly trade customers.",
        # Exam hedges that set a view out to answer it, and a view given up.
        "It could be argued that mass marketing reaches more people, but the message is less "
        "relevant to each group",
        "I've stopped thinking that demographics tell you everything.",
        # How a view looks, answered after "but"; a view held by someone in the case.
        "More segments sounds better but it isn't, each one costs money to serve.",
        "The MD in the case assumed his business clients only cared about price, and he lost "
        "three big accounts",
        # "that's targeting" names what was just said: the subjects are not carried over.
        "segmentation is choosing who to sell to... wait no thats targeting, segmentation is the "
        "grouping bit",
        # A case set out and then asked about ("what does that tell you?") is asked.
        "a customer has bought from us 10 times, what does that tell u about whether theyre happy?",
        # A view the student gave and was marked wrong for.
        "i put 'same thing' and got it wrong, sales is converting leads and marketing is "
        "generating them",
    ],
)
def test_a_view_set_aside_or_asked_about_is_not_caught(kb: KnowledgeBase, text: str) -> None:
    assert detect(kb, text) == []
