"""Daily reminders, time zones and streaks.

- ``remind``: the /remind dialog and the feature's buttons; ``zone_dialog``: /timezone.
- ``offer``: the one-time reminder offer after a first quiz.
- ``dispatch``: what the reminder job claims, builds, sends and settles; ``snapshot``: what
  it reads about a student first; ``messages``: the reminder as the student sees it.
- ``schedule``: when the next reminder is due; ``zones``: time zones from what people type,
  with ``places`` (cities and countries from GeoNames) and ``zone_names`` (nicknames).
- ``streaks`` and ``streak_days``: the study streak, computed and read.
- ``shared``: button data and the reminder time as the student reads it.
"""
