"""Rhetorical questions that state a sameness or a definition: "why have two words for A
and B?", "how are they any different?", "what even is X if it isn't Y?". Read before
:data:`dialogs.language.rhetoric_forms.QUESTIONS`, whose "why would they X when Y" forms
would otherwise read them as denials; the first form that fits wins."""

from __future__ import annotations

import re

from dialogs.language.rhetoric_forms import BECAUSE

SAMENESS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "why do they even have two different words for it, ..." -> "they are the same thing, ..."
    (
        re.compile(
            r"^(?:but |so )?why (?:(?:do|does|would) (?:they|we|you|u|the \w+) )?(?:even |really )?"
            r"(?:have|need|use|bother with) (?:two|2) (?:different |separate )?(?:words|names|"
            r"terms|labels)(?: for (?:it|them|the same thing|one thing|(?P<pair>[^,?]+?)))?"
            rf"(?P<rest>(?:,| {BECAUSE}) .*?)?[?!.]*$"
        ),
        r"\g<pair> they are the same thing\g<rest>",
    ),
    # "what's the point of segmenting if it isn't choosing who to sell to?" -> "segmenting is
    # choosing who to sell to"
    (
        re.compile(
            r"^(?:but |so )?what(?: is| s|s| would be| would even be)(?: even)? the point "
            r"(?:of |in )(?P<what>.+?) if (?:it|that|this|you|u|ur|your|you are|u are|we are) "
            r"(?:is |was |were )?not (?P<then>.+?)[?!.]*$"
        ),
        r"\g<what> is \g<then>",
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
    # "what (even) is digital marketing if it's not social media?" -> "... is only social media"
    (
        re.compile(
            r"^(?:but |so )?what (?:even )?(?:is|would) (?P<what>.+?) (?:be )?if "
            r"(?:it is |its |it s )?not (?P<only>.+?)(?: tho| though| lol)?[?!.]*$"
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
    # "if segmenting isn't about picking who to sell to, what even is it?" -> "segmenting is ..."
    (
        re.compile(
            r"^if (?P<what>.+?) (?:is not|isnt|isn't) (?:about |just |really )?(?P<then>.+?),? "
            r"(?:then )?what (?:else |even |on earth )?(?:is it|would it be|could it be|is it for)"
            r"[?!.]*$"
        ),
        r"\g<what> is \g<then>",
    ),
    # "why have a separate word for targeting when segmenting already means ..." -> "... same"
    (
        re.compile(
            r"^(?:but |so )?why (?:do we |do they |would you |would we |)(?:even )?(?:have|need|"
            r"use) (?:a|another) (?:separate|different|new|second) (?:word|name|term|label) for "
            rf"(?P<what>.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<what> is the same thing, because \g<why>",
    ),
    # "why do we pretend sales and marketing are different things?" -> "... are not ..."
    (
        re.compile(
            r"^(?:but |so )?why (?:do|does|would|should) (?:we|they|you|u|people|the \w+) "
            r"(?:even |still )?pretend (?:that )?(?P<what>.+?) (?P<be>are|is) (?P<rest>.+?)[?!.]*$"
        ),
        r"\g<what> \g<be> not \g<rest>",
    ),
    # "why would they count as different jobs?" -> "they are not different jobs"
    (
        re.compile(
            r"^(?:but |so )?why (?:would|should|do|does) (?P<who>they|these|those|the two|both|"
            r"the \w+|\w+ and \w+) (?:even |really )?(?:count as|be|be classed as|be seen as|"
            r"be called|be treated as|need to be) (?P<what>(?:different|separate|two)\b.*?)[?!.]*$"
        ),
        r"\g<who> are not \g<what>",
    ),
    # "what's the point of a separate sales team and marketing team when they do the same
    # job" -> "sales team and marketing team are not separate, because ..."
    (
        re.compile(
            r"^(?:but |so )?(?:what is|whats|what's)(?: even)? the point (?:of |in )(?:having )?"
            rf"(?:a |two )?separate (?P<what>.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<what> are not separate, because \g<why>",
    ),
    # "what's even the difference between sales and marketing lol" -> "there is no difference"
    (
        re.compile(
            r"^(?:but |so )?(?:what is|whats|what's|wats) even the (?:diff|different|difference"
            r"|diffrence) between (?P<pair>.+?)[?!.]*$"
        ),
        r"there is no difference between \g<pair>",
    ),
    # "why do companies have a sales team and a marketing team when they do the same thing?"
    # -> "a sales team and a marketing team are the same thing"
    (
        re.compile(
            r"^(?:but |so )?why (?:do|does|would|should) (?:\w+ ){1,3}?(?:have|has|employ|hire|"
            r"teach|list|split|separate|keep|need|needs) (?P<pair>[^,]+? and [^,]+?)"
            r"(?: separately| separate| seperate| apart)?,? (?:when|if|because|cos|since) "
            r"(?:they|both|it|them)(?: both| all)? (?:do|are|is|mean|r|does) "
            r"(?:\w+ )?(?:the )?(?:same|identical)\b.*?[?!.]*$"
        ),
        r"\g<pair> are the same thing",
    ),
    # "whats the difference between a sales person and a marketer there isnt one" -> "there is
    # no difference between ..."
    (
        re.compile(
            r"^(?:um |so |but )?(?:what is|whats|wats) the (?:diff|difference|diffrence) between "
            r"(?P<pair>.+?),? (?:there is not one|there is none|there is not any|none|nothing)"
            r"(?P<rest> .*?)?[?!.]*$"
        ),
        r"there is no difference between \g<pair>\g<rest>",
    ),
    # "why would the book have segmentation and targeting as two headings?" -> "... are the
    # same thing"
    (
        re.compile(
            r"^(?:but |so )?why (?:do|does|would|should) (?:they|we|you|u|the \w+) "
            r"(?:even |really )?(?:have|teach|treat|split|list|count|show) (?P<pair>.+?) "
            r"(?:as|into) (?:two|2|separate|different) (?:headings|things|topics|sections|words|"
            r"names|units|steps|stages|parts|subjects|jobs)"
            rf"(?P<rest>(?:,| {BECAUSE}) .*?)?[?!.]*$"
        ),
        r"\g<pair> are the same thing\g<rest>",
    ),
    # "why would you bother dividing a market up if not to pick who to sell to?" -> "dividing a
    # market up is picking who to sell to"
    (
        re.compile(
            r"^(?:but |so )?why (?:would|do|should) (?:you|u|we|anyone|they) (?:even )?(?:bother )?"
            r"(?P<what>.+?) if (?:not|it is not|its not|you are not|you were not|u are not|u were"
            r" not) (?:already )?(?:to |for )?(?P<then>.+?)[?!.]*$"
        ),
        r"\g<what> is \g<then>",
    ),
)
