"""Whether a sentence asks or states: "do they...?" asks, "i think CLV is one sale??" states."""

from __future__ import annotations

from dialogs.language.words import Word

_FILLERS = frozenset({"so", "ok", "okay", "wait", "but", "and", "hmm", "um", "like", "also"})
_FILLERS |= {"then", "hey", "right", "sorry", "please", "just", "oh", "well", "ah", "yeah", "or"}
_ASKING = frozenset({"what", "how", "why", "which", "who", "whose"})
_ASKING_WITH_AUX = frozenset({"when", "where"})  # "when does it..." asks; "when a firm buys..." not
_HOW_MUCH = frozenset({"often", "much", "many", "long", "far", "come"})
_AUX = frozenset({"be", "do", "can", "could", "should", "would", "will", "shall", "may"})
_NOT_A_SUBJECT = frozenset({"a", "an", "the", "one", "some", "more", "not", "loads", "lots", "to"})
_SUBJECTS = frozenset({"they", "we", "you", "i", "he", "she", "people", "customer", "member"})
_IS = frozenset({"is", "are", "was", "were"})
_DONE_TO = frozenset({"them", "it", "this", "that", "those", "these"})
_UNSURE = frozenset({("i", "think"), ("i", "reckon"), ("pretty", "sure"), ("i", "guess")})
_UNSURE_WOULD = frozenset(("i", "would", verb) for verb in ("say", "think", "guess", "reckon"))


def is_question(sentence: str, words: list[Word]) -> bool:
    """True when ``sentence`` (its ``words``) asks rather than states."""
    if words and words[0].lemma == "just" and not sentence.rstrip().endswith("?"):
        return False  # "just do age and income once": an instruction, not "do they...?"
    while words and words[0].lemma in _FILLERS:
        words = words[1:]
    if sentence.rstrip().endswith("?"):
        # "i think CLV is what they paid??" and "surely more is better?" are unsure statements.
        opening = tuple(w.lemma for w in words[:4])
        if opening[:2] == ("i", "be"):  # "i'm pretty sure ...?"
            opening = opening[2:]
        if opening[:3] in _UNSURE_WOULD:  # "i'd say more is always better?"
            return False
        opening = opening[:2]
        return opening[:1] != ("surely",) and opening not in _UNSURE
    lemmas = [w.lemma for w in words]
    if not lemmas:
        return False
    if lemmas[0] == "why":
        # "why bother segmenting" asks; "why they leave is price" states.
        return len(lemmas) < 2 or lemmas[1] not in _SUBJECTS
    if lemmas[0] in _ASKING or lemmas[0] in _ASKING_WITH_AUX:
        # "what is CLV" and "how often do they buy" ask; "what someone believes and what
        # they buy are the same" and "how often someone buys" state.
        rest = lemmas[2:] if lemmas[1:2] and lemmas[1] in _HOW_MUCH else lemmas[1:]
        if rest[1:2] and rest[0] not in _AUX | _NOT_A_SUBJECT | _SUBJECTS:
            rest = rest[1:]  # "what time is...", "how many segments should..."
        return not rest or rest[0] in _AUX
    # "do they..." asks; "doing your advertising online means..." states; "do them once"
    # (without a question mark) tells.
    starts_verb = words[0].surface.endswith("ing")
    if words[0].surface in _IS and len(words) > 1 and lemmas[1] != "not":
        return True  # "is more segments always better", "are the biggest groups best"
    return (
        lemmas[0] in _AUX
        and not starts_verb
        and len(lemmas) > 1
        and lemmas[1] not in _NOT_A_SUBJECT
        and not (lemmas[0] == "do" and words[1].surface in _DONE_TO)
    )
