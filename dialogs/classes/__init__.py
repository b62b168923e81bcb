"""Classes in Telegram groups, and their tutors.

- ``groups``: the group feature, /groupquiz, /close and its buttons; ``in_group``: what every
  group command shares (the group, the tutor-only guard).
- ``challenges``, ``schedules``, ``leaderboards``: the other group commands.
- ``polls``: group quizzes as native quiz polls; ``posts``: what the bot posts on its own;
  ``lifecycle``: the bot added, removed, migrated; ``args``: what tutors type, read strictly.
- ``roles``: who may do what; ``tutors``: invites, reports and previews in private.
- ``stats`` and ``misses``: the numbers about a class; ``results`` and ``reports``: what the
  class and the tutor read.
"""
