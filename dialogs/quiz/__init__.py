"""Quizzes with spaced repetition.

- ``feature``: /quiz, /review and typed answers; ``buttons``: the answer and control buttons;
  ``flow``: start, ask, record and finish, one transaction each.
- ``questions``, ``makers``, ``variable_questions``: questions generated from the knowledge
  base; ``grading``: answers marked, every verdict explained; ``view``: how they look.
- ``plan``: what to ask next and how many a quiz can ask; ``due``: what "due" means, once;
  ``topup``: a short quiz's note and top-up buttons; ``topics``: what /quiz can narrow to.
- ``scheduling``: FSRS with the exam-aware rules; ``card_updates``: cards changed in the
  database; ``exam``: /exam.
- ``progress`` and ``charts``: /progress.
"""
