"""The forms of rhetorical question the tutor reads as statements, each with the statement
it makes (see :mod:`dialogs.language.rhetoric`). A form is listed only when it leaves no doubt
that nothing is being asked."""

from __future__ import annotations

import re

_PEOPLE = (
    "anyone anybody someone somebody you u ya we they i people customers businesses companies firms"
)
_WHO = rf"(?:{'|'.join(_PEOPLE.split())}|an? \w+|any \w+|the \w+)"
_BECAUSE = r"(?:when|if|cos|coz|cuz|because|since|as long as)"
_BUYER = rf"(?:{_WHO}|an? \w+ \w+|the \w+ \w+)"  # "a procurement manager"
_CARE = "care|bother|worry|need|want"
_AUX = "can|could|is|are|will|would|should|do|does|need|needs|has|have|matters|matter"
# Words after "why" that make it a real question ("why do customers leave when...?").
_NOT_A_VERB = (
    r"(?:would|should|do|does|did|is|are|was|were|can|could|will|has|have|had|not|might|may|"
    r"must|dont|doesnt|isnt|arent|didnt|wasnt|not|some|most|many|the|a|an|my|our|your|their|"
    r"people|customers|firms|businesses|companies|we|they|you|u|i|he|she|it|this|that)"
)

RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "what's the point of segmenting if it isn't choosing who to sell to?" -> "segmenting is
    # choosing who to sell to"
    (
        re.compile(
            r"^(?:but |so )?what(?: is| s|s| would be| would even be)(?: even)? the point "
            r"(?:of |in )(?P<what>.+?) if (?:it|that|this) (?:is|was|were) not (?P<then>.+?)[?!.]*$"
        ),
        r"\g<what> is \g<then>",
    ),
    # "why would a company buyer care about trust (when ...)?" -> "a company buyer would not
    # care about trust (, because ...)"
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should|do|does|did) (?P<who>{_BUYER}) (?:ever |even |"
            rf"really )?(?P<what>(?:{_CARE})\b.+?),? {_BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>, because \g<why>",
    ),
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should|do|does|did) (?P<who>{_BUYER}) (?:ever |even |"
            r"really )?(?P<what>(?:care|bother|worry|need to (?:explain|mention|talk about|sell))"
            r"\b.+?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>",
    ),
    # "why would you X when Y" -> "you would not X, because Y"
    (
        re.compile(
            r"^(?:but |so |and )?why (?:would |should |on earth would |"
            rf"(?:do|does|did) (?=\S+(?: \S+)? (?:even|make us|makes us|split|splits|separate) ))"
            rf"(?P<who>{_WHO}|my \w+|the \w+)"
            rf"(?: ever| even| really)? (?P<what>.+?),? {_BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>, because \g<why>",
    ),
    # "why would you need anything more than age?" -> "you would not need anything more..."
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should|do) (?P<who>{_WHO})(?: ever| even)? "
            r"(?P<what>(?:need|want|bother|care|look|use|pay|spend|go)\b.*?\b(?:anything more|"
            r"anything else|apart from|other than|besides|except)\b.*?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>",
    ),
    # "how can CLV be more than what they paid?" -> "CLV is just what they paid"
    (
        re.compile(
            r"^(?:but |so )?how (?:can|could) (?P<what>.+?) (?:ever |even |possibly )?be "
            r"(?:more|bigger|higher|larger|worth more) than (?P<than>.+?)[?!.]*$"
        ),
        r"\g<what> is just \g<than>",
    ),
    # "how can segmenting be any different from targeting?" -> "... is the same as targeting"
    (
        re.compile(
            r"^(?:but |so )?how (?:can|could|is|are) (?P<what>.+?) (?:ever |even |possibly )?"
            r"(?:be )?any different (?:than|from|to) (?P<than>.+?)[?!.]*$"
        ),
        r"\g<what> is the same as \g<than>",
    ),
    # "how are they any different?" -> "they are the same"
    (
        re.compile(
            r"^(?:but |so |then )?how (?:is|are|can|could|would) (?P<what>.+?) (?:ever |even |"
            r"really |possibly )?(?:be )?(?:any|even) different[?!.]*$"
        ),
        r"\g<what> are the same",
    ),
    # "why would you ever pick a small segment over a big one?" -> "you would never pick..."
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should) (?P<who>{_WHO}) ever (?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> would never \g<what>",
    ),
    # "what else would digital marketing be apart from social media?" -> "... is only ..."
    (
        re.compile(
            r"^(?:but |so )?what else (?:even )?(?:would|could|is|can|does) (?P<what>.+?) "
            r"(?:even |really )?"
            r"(?:be |mean |involve |include |cover )?(?:apart from|except|other than|besides|but) "
            r"(?P<only>.+?)(?: lol| tbh| really| honestly)?[?!.]*$"
        ),
        r"\g<what> is only \g<only>",
    ),
    # "what else would digital marketing be if it's not social media?" -> "... is only ..."
    (
        re.compile(
            r"^(?:but |so )?what else (?:is|would|could|can) (?P<what>.+?) (?:even |really )?"
            r"(?:be )?if (?:it is |its |it s )?not (?P<only>.+?)(?: tho| though| lol)?[?!.]*$"
        ),
        r"\g<what> is only \g<only>",
    ),
    # "what even is digital marketing if it's not social media?" -> "... is only social media"
    (
        re.compile(
            r"^(?:but |so )?what even (?:is|would) (?P<what>.+?) (?:be )?if (?:it is |its |it s )?"
            r"not (?P<only>.+?)(?: tho| though| lol)?[?!.]*$"
        ),
        r"\g<what> is only \g<only>",
    ),
    # "what else is there to digital marketing?" -> "there is nothing else to digital marketing"
    (
        re.compile(
            r"^(?:but |so )?what else (?:is|would) there (?:be )?(?P<what>(?:to|in|for) .+?)[?!.]*$"
        ),
        r"there is nothing else \g<what>",
    ),
    # "why would anyone keep buying from a firm they hate" -> "nobody keep buying ..."
    (
        re.compile(
            r"^(?:but |so )?why (?:would|should) (?:anyone|anybody|someone|somebody|any \w+|they|"
            r"people|customers) "
            r"(?P<what>.+?)[?!.]*$"
        ),
        r"nobody \g<what>",
    ),
    # "why bother with X when Y" / "why waste time on X when Y" -> "no need for X, because Y"
    (
        re.compile(
            r"^(?:but |so )?why (?:bother|waste (?:your |our |their )?(?:time|money|effort))"
            rf"(?: with| on| doing| about)? (?P<what>.+?),? {_BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"there is no need for \g<what>, because \g<why>",
    ),
    # "how can you even X (when Y)" -> "you cannot X (because Y)"
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would) (?P<who>{_WHO}) (?:even|ever|possibly) "
            r"(?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>",
    ),
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would) (?P<who>{_WHO}) (?P<what>.+?),? "
            rf"{_BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>, because \g<why>",
    ),
    # "what's the point of X when Y" -> "there is no point X, because Y"
    (
        re.compile(
            r"^(?:but |so )?(?:what is|whats|what's|what would be|wheres|where is)(?: even)? "
            rf"the point (?:of |in )?(?P<what>.+?),? {_BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"there is no point \g<what>, because \g<why>",
    ),
    # "why shrink your audience when you could reach everyone?" -> "no point in shrinking..."
    (
        re.compile(
            rf"^(?:but |so )?why (?!{_NOT_A_VERB}\b)(?P<what>[a-z]+(?: .+?)?),? {_BECAUSE} "
            r"(?P<why>.+?)[?!.]*$"
        ),
        r"there is no point in \g<what>, because \g<why>",
    ),
    # "how are you meant to measure an attitude?" -> "you cannot measure an attitude"
    (
        re.compile(
            rf"^(?:but |so )?how (?:are|is|am) (?P<who>{_WHO}) (?:meant|supposed|expected) to "
            r"(?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>",
    ),
    # "surely more segments is more accurate?" -> "more segments is more accurate"
    (re.compile(r"^(?:(?:no|nah|but|yeah|well) )*surely,? (?P<said>.+?)[?!.]*$"), r"\g<said>"),
    # "idk why the course splits them up, sales = marketing" -> "no point in ..., sales = ..."
    (
        re.compile(r"^i (?:do not|dont) know why (?P<what>[^,]+), (?P<rest>.+)$"),
        r"there is no point in \g<what>, \g<rest>",
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
        re.compile(rf"^(?:but |so )?who needs (?P<what>.+?),? {_BECAUSE} (?P<why>.+?)[?!.]*$"),
        r"nobody needs \g<what>, because \g<why>",
    ),
    # "isn't X just Y?" -> "X is just Y"
    (
        re.compile(
            r"^(?:but |so |at the end of the day )?(?:is not|isnt|isn't|are not|arent|aren't) "
            r"(?P<what>.+?) (?P<how>just|basically|really|simply|only|the same as) "
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
