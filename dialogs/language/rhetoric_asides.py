"""Rhetorical forms that lean on a frame rather than a question word: "surely ...", "isn't
it better to ...", "i don't think ...", "X, right?", "wouldn't X just ...". Read after
:data:`dialogs.language.rhetoric_forms.QUESTIONS`; the first form that fits wins."""

from __future__ import annotations

import re

from dialogs.language.rhetoric_forms import BECAUSE

_AUX = "can|could|is|are|will|would|should|do|does|need|needs|has|have|matters|matter"

ASIDES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "surely more segments is more accurate?" -> "more segments is more accurate"
    (re.compile(r"^(?:(?:no|nah|but|yeah|well) )*surely,? (?P<said>.+?)[?!.]*$"), r"\g<said>"),
    # "idk why the course splits them up, sales = marketing" -> "no point in ..., sales = ..."
    (
        re.compile(r"^i (?:do not|dont) know why (?P<what>[^,]+), (?P<rest>.+)$"),
        r"there is no point in \g<what>, \g<rest>",
    ),
    # "i don't even get why it's called X when it's the same job" -> "no point in ..., because"
    (
        re.compile(
            r"^i (?:do not|dont) (?:even |really )?(?:get|understand|see) why (?P<what>.+?),? "
            rf"{BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"there is no point in \g<what>, because \g<why>",
    ),
    # "i don't get why they're separate, psychographic is just behaviour" -> the second clause
    (
        re.compile(
            r"^i (?:do not|dont) (?:even |really )?(?:get|understand|see) (?:why|how) (?:they|it|"
            r"these|those) [^,]+, (?P<rest>.+)$"
        ),
        r"\g<rest>",
    ),
    # "isn't it obvious psychographic and behavioural are the same?" -> "... are the same"
    (
        re.compile(
            r"^(?:but |so )?(?:is not|isnt|isn't) it (?:obvious|clear|plain) (?:that )?"
            r"(?P<said>.{8,}?)[?!.]*$"
        ),
        r"\g<said>",
    ),
    # "isn't it better to talk to everyone?" -> "it is better to talk to everyone"
    (
        re.compile(
            r"^(?:but |so )?(?:is not|isnt|isn't) it (?P<how>(?:so |much |way |far )?(?:better|"
            r"best|easier|cheaper|smarter|safer|simpler)) (?P<rest>.+?)[?!.]*$"
        ),
        r"it is \g<how> \g<rest>",
    ),
    # "i don't think b2b firms can segment" -> "b2b firms can not segment"
    (
        re.compile(
            r"^(?:(?:honestly|tbh|but|so) )?i (?:do not|dont|don't) (?:really )?(?:think|reckon) "
            rf"(?:that )?(?P<who>.+?) (?P<aux>{_AUX})(?: really)? (?P<rest>.+)$"
        ),
        r"\g<who> \g<aux> not \g<rest>",
    ),
    # "what else do you need to know about her?" -> "you need to know nothing else about her"
    (
        re.compile(
            r"^(?:but |so )?what else (?:do|would|could|does) (?P<who>you|u|we|they|a business|"
            r"firms|the firm|the business) (?:actually |really |even )?need to know"
            r"(?P<rest>.*?)[?!.]*$"
        ),
        r"\g<who> need to know nothing else\g<rest>",
    ),
    # "what's even the difference between sales and marketing" -> "there is no difference ..."
    (
        re.compile(
            r"^(?:so )?(?:what(?: is|s) even|is there even|is there really|is there even really) "
            r"(?:the |a |any )?difference between (?P<rest>.+?)[?!.]*$"
        ),
        r"there is no difference between \g<rest>",
    ),
    # "why stop at 5 segments?" -> "there is no point stopping at 5 segments"
    (
        re.compile(r"^(?:but |so )?why stop at (?P<what>.+?)[?!.]*$"),
        r"no point stopping at \g<what>",
    ),
    # "marketing is just selling, whats even the difference lol" -> "..., there is no difference"
    (
        re.compile(
            r"^(?P<said>.{8,}?),? what(?: is|s) even the difference(?: lol| tho| though| really)?"
            r"[?!.]*$"
        ),
        r"\g<said>, there is no difference",
    ),
    # "wouldn't a boiler with 20 settings just sell itself?" -> "a boiler ... just sell itself"
    (re.compile(r"^(?:but )?(?:would not|wouldnt) (?P<said>.{8,}?)[?!.]*$"), r"\g<said>"),
    # "who needs to explain benefits when the list is right there?" -> "nobody needs to..."
    (
        re.compile(rf"^(?:but |so )?who needs (?P<what>.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"),
        r"nobody needs \g<what>, because \g<why>",
    ),
    # "who cares about benefits if the phone has 5 cameras?" -> "benefits do not matter, ..."
    (
        re.compile(
            r"^(?:but |so |honestly )?who (?:even )?cares? (?:about |bout |abt )?(?P<what>.+?)"
            rf"(?P<why>,? {BECAUSE} .+?)?[?!.]*$"
        ),
        r"\g<what> does not matter\g<why>",
    ),
    # "isn't X just Y?" -> "X is just Y"
    (
        re.compile(
            r"^(?:but |so |at the end of the day )?(?:is not|isnt|isn't|are not|arent|aren't) "
            r"(?P<what>.+?) (?P<how>just|basically|really|simply|only|literally|the same as) "
            r"(?P<rest>.+?)[?!.]*$"
        ),
        r"\g<what> is \g<how> \g<rest>",
    ),
    # "why segment, just sell to everyone" -> "there is no point in segment, just sell..."
    (
        re.compile(
            r"^(?:but |so )?why (?:bother )?(?P<what>[^,?]+?)(?:[,?] *| )"
            r"(?P<instead>(?:just|simply) .+)$"
        ),
        r"there is no point in \g<what>, \g<instead>",
    ),
    # "mass market > segments" -> "mass market is better than segments" (not an arrow: "->")
    (
        re.compile(r"^(?P<better>[a-z0-9][^<>]*?[^<>=\s-]) *> *(?P<worse>[a-z0-9][^<>]*)$"),
        r"\g<better> is better than \g<worse>",
    ),
    # "X, isn't it?" / "X, what else would it be?" -> "X"
    (
        re.compile(
            r"^(?P<said>.{12,}?),? (?:is not it|isnt it|isn't it|innit|surely|obviously|"
            r"isnt it obvious|isn't it obvious|is not it obvious|what else would it be|"
            r"what else could it be|what else is there)[?!.]*$"
        ),
        r"\g<said>",
    ),
    # "so segmenting is deciding who to sell to, right?" -> a statement looking for a nod
    (
        re.compile(
            r"^(?P<said>.{12,}?),? (?:right|can you|can we|do you|is it|are they|does it|do they)"
            r"\?+$"
        ),
        r"\g<said>",
    ),
    # "whats left to know really?" -> "there is nothing left to know"
    (
        re.compile(
            r"^(?:so )?what(?: is|s) (?:left|else left|there left) to (?P<what>know|find out|learn)"
            r"(?P<rest>.*?)[?!.]*$"
        ),
        r"there is nothing left to \g<what>\g<rest>",
    ),
)
