"""The forms of rhetorical question the tutor reads as statements, each with the statement
it makes (see :mod:`dialogs.language.rhetoric`). A form is listed only when it leaves no doubt
that nothing is being asked. Forms that state a sameness ("how are they any different?") are
in :mod:`dialogs.language.rhetoric_sameness`; forms that lean on a frame rather than a
question word ("surely ...", "X, right?") are in :mod:`dialogs.language.rhetoric_asides`."""

from __future__ import annotations

import re

_PEOPLE = (
    "anyone anybody someone somebody you u ya we they i people customers businesses companies firms"
)
_WHO = rf"(?:{'|'.join(_PEOPLE.split())}|an? \w+|any \w+|the \w+)"
BECAUSE = r"(?:when|if|cos|coz|cuz|because|since|as long as)"
_BUYER = rf"(?:{_WHO}|an? \w+ \w+|the \w+ \w+)"  # "a procurement manager"
_NAMED = rf"(?:{_BUYER}|\w+)"  # or a name: "why would Monzo..."
_CARE = "care|bother|worry|need|want"
# Words after "why" that make it a real question ("why do customers leave when...?").
_NOT_A_VERB = (
    r"(?:would|should|do|does|did|is|are|was|were|can|could|will|has|have|had|not|might|may|"
    r"must|dont|doesnt|isnt|arent|didnt|wasnt|not|some|most|many|the|a|an|my|our|your|their|"
    r"people|customers|firms|businesses|companies|we|they|you|u|i|he|she|it|this|that)"
)

QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "why would a company buyer care about trust (when ...)?" -> "a company buyer would not
    # care about trust (, because ...)"
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should|do|does|did) (?P<who>{_NAMED}) (?:ever |even |"
            rf"really )?(?P<what>(?:{_CARE})\b.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>, because \g<why>",
    ),
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should|do|does|did) (?P<who>{_NAMED}) (?:ever |even |"
            r"really )?(?P<what>(?:care|bother|worry|need (?:anything|any more|more)|"
            r"need to (?:explain|mention|talk about|sell))"
            r"\b.+?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>",
    ),
    # "why would you X when Y" -> "you would not X, because Y"
    (
        re.compile(
            r"^(?:but |so |and )?why (?:would |should |on earth would |"
            r"(?:do|does|did) (?=\S+(?: \S+)? (?:even|make us|makes us|split|splits|separate|list|"
            r"lists|teach|teaches|treat|treats) ))"
            # After "do", the checked verb follows, so a bare plural may lead: "why do textbooks"
            rf"(?P<who>{_WHO}|my \w+|the \w+|(?:(?<=do )|(?<=does )|(?<=did ))\w+)"
            rf"(?: ever| even| really)? (?P<what>.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"
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
    # "why would you redo a profile that's already made?" -> "you would not redo ..."
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should) (?P<who>{_NAMED})(?: ever| even)? "
            r"(?:waste (?:time|money)(?: on)? |bother )?(?:keep (?="
            r"(?:changing|updating|redoing|revisiting|reviewing)\b)|(?=(?:re\w+|update|updating|"
            r"change|changing|revisit|refresh|rewrite)\b.*?\b(?:already|again|twice|every year|"
            r"every month|all the time|constantly)\b))(?P<what>.*?)[?!.]*$"
        ),
        r"\g<who> would not \g<what>",
    ),
    # "why pay someone to redo the profiles every year?" -> "you would not redo ..."
    (
        re.compile(
            r"^(?:but |so )?why (?:pay (?:someone|somebody|anyone|people|staff) to|waste (?:time|"
            r"money)(?: on)?|bother) (?P<what>(?:re\w+|update|updating|change|changing|revisit)\b"
            r".*?\b(?:already|again|twice|every year|each year|every month|all the time|"
            r"constantly)\b.*?)[?!.]*$"
        ),
        r"you would not \g<what>",
    ),
    # "why redo personas, customers dont really change?" -> "you would not redo personas, ..."
    (
        re.compile(
            r"^(?:but |so )?why (?P<what>(?:redo|update|change|rewrite|revisit|refresh)\b[^,?]*)"
            r"[,?] (?P<rest>.+?)[?!.]*$"
        ),
        r"you would not \g<what>, \g<rest>",
    ),
    # "how can having more segments ever be a bad thing?" -> "... is never a bad thing"
    (
        re.compile(
            r"^(?:but |so )?how (?:can|could|would|is|are) (?P<what>.+?) (?:ever|possibly) be "
            r"(?P<bad>(?:a )?(?:bad|wrong|negative|problem|bad thing|bad idea))[?!.]*$"
        ),
        r"\g<what> is never \g<bad>",
    ),
    # "how can CLV be more than what they paid?" -> "CLV is just what they paid"
    (
        re.compile(
            r"^(?:but |so )?how (?:can|could) (?P<what>.+?) (?:ever |even |possibly )?be "
            r"(?:more|bigger|higher|larger|worth more) than (?P<than>.+?)[?!.]*$"
        ),
        r"\g<what> is just \g<than>",
    ),
    # "why would you ever pick a small segment over a big one?" -> "you would never pick..."
    (
        re.compile(
            rf"^(?:but |so )?why (?:would|should) (?P<who>{_WHO}) ever (?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> would never \g<what>",
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
            rf"(?: with| on| doing| about)? (?P<what>.+?),? {BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"there is no need for \g<what>, because \g<why>",
    ),
    # "how can u put a number on someone's lifestyle lol u cant" -> "you cannot ..."
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would|do) (?P<who>{_WHO}) (?P<what>.+?),? "
            r"(?:you|u|we|they) (?:can not|cant|cannot)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>",
    ),
    # "how can u segment businesses, they dont have ages" -> "you cannot ..., because they..."
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would|do) (?P<who>{_WHO}) (?P<what>[^,]+?), "
            r"(?P<why>(?:they|it|its|these|those|businesses|companies|firms) (?:do not|does not|"
            r"have no|has no|can not|are not|is not|never) .+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>, because \g<why>",
    ),
    # "how can you even X (when Y)" -> "you cannot X (because Y)"
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would) (?P<who>{_WHO}) "
            r"(?:even|ever|possibly) (?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>",
    ),
    (
        re.compile(
            rf"^(?:but |so )?how (?:can|could|would) (?P<who>{_WHO}) (?P<what>.+?),? "
            rf"{BECAUSE} (?P<why>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>, because \g<why>",
    ),
    # "what's the point of X when Y" -> "there is no point X, because Y"
    (
        re.compile(
            r"^(?:but |so )?(?:what is|whats|what's|what would be|wheres|where is)(?: even)? "
            rf"the point (?:of |in )?(?P<what>.+?)(?:,? {BECAUSE} |, (?=(?:it is|its|they are|"
            r"theyre|people are|customers are|nothing|same)\b))(?P<why>.+?)[?!.]*$"
        ),
        r"there is no point \g<what>, because \g<why>",
    ),
    # "why else would someone keep coming back if they weren't satisfied?" -> "..., so they
    # are satisfied"
    (
        re.compile(
            r"^(?:but |so )?why else would (?P<who>\w+(?: \w+)?) (?P<what>.+?),? (?:if|unless) "
            r"(?:they|it|he|she) (?:were|was|are|is|did|do) not (?P<then>.+?)[?!.]*$"
        ),
        r"\g<who> \g<what>, so they are \g<then>",
    ),
    # "what's the point of having both X and Y, they're identical" -> "there is no point ..."
    (
        re.compile(
            r"^(?:but |so )?(?:what is|whats|what's)(?: even)? the point (?:of |in )"
            r"(?P<what>having (?:both|two|separate) .+?)[?!.]*$"
        ),
        r"there is no point \g<what>",
    ),
    # "why shrink your audience when you could reach everyone?" -> "no point in shrinking..."
    (
        re.compile(
            rf"^(?:but |so )?why (?!{_NOT_A_VERB}\b)(?P<what>[a-z]+(?: .+?)?),? {BECAUSE} "
            r"(?P<why>.+?)[?!.]*$"
        ),
        r"there is no point in \g<what>, because \g<why>",
    ),
    # "how are you meant to measure an attitude?" -> "you cannot measure an attitude"
    (
        re.compile(
            rf"^(?:but |so )?how (?:are|is|am) (?P<who>{_WHO}) (?:even )?(?:meant|supposed|"
            r"expected) to "
            r"(?P<what>.+?)[?!.]*$"
        ),
        r"\g<who> cannot \g<what>",
    ),
    # "why do people make it so complicated?" -> "it is simple"
    (
        re.compile(
            r"^(?:but |so )?why (?:do|does|would) (?:people|ppl|they|you|u|we|everyone|teachers|"
            r"the \w+) (?:even )?(?:make it|overcomplicate it|complicate it)(?: so)?"
            r"(?: complicated| hard| complex| difficult)?[?!.]*$"
        ),
        "it is simple",
    ),
    # "what more do you need to know than age and income?" -> "you need nothing more than ..."
    (
        re.compile(
            r"^(?:but |so )?what (?:more|else) (?:do|does|could|would|can|should) (?P<who>.+?) "
            r"(?:actually |really |even |possibly )?(?:need|want)(?: to know| to have)?"
            r"(?: about (?:\w+ ){0,2}\w+)? than "
            r"(?P<than>.+?)[?!.]*$"
        ),
        r"\g<who> needs nothing more than \g<than>",
    ),
    # "(if you know X,) what more do you actually need to know?" -> "there is nothing more to know"
    (
        re.compile(
            r"^(?:but |so )?what (?:more|else) (?:do|does|could|would|can|should) .+? "
            r"(?:actually |really |even )?(?:need|want) to know[?!.]*$"
        ),
        "there is nothing more to know",
    ),
    # "why would CLV be anything other than what they paid?" -> "CLV is only what they paid"
    (
        re.compile(
            r"^(?:but |so )?why (?:would|should|could) (?P<what>.+?) (?:ever |even )?be anything "
            r"(?:other than|but|else than|except|more than) (?P<only>.+?)[?!.]*$"
        ),
        r"\g<what> is only \g<only>",
    ),
    # "why would a phone with more features not sell better?" -> "... would sell better"
    (
        re.compile(
            r"^(?:but |so )?why (?:would|wouldnt) (?P<what>[^,]+?) not (?P<do>[^,]+?)[?!.]*$"
        ),
        r"\g<what> would \g<do>",
    ),
)
