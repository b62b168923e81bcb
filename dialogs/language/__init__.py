"""Reading what students write. Pure functions over text and the knowledge base: no database,
no Telegram, no feature logic; quizzes, scenarios and the misconception check all use it.

- ``normalise``: words folded to a comparable form; ``matching``: names, aliases and phrases
  found in a text, typos allowed; ``variables``: segmentation variables named in a text.
- ``misconceptions``: which common wrong beliefs a text states.
- ``step_grading`` and ``checks``: a scenario step's answer marked against its key points and
  the exam-tip checks.
"""
