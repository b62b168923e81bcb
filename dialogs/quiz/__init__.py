"""Quizzes with spaced repetition: questions made from the knowledge base, the plan of what to
ask next, grading, FSRS scheduling, the exam date and /progress."""
