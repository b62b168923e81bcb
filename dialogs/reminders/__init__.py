"""Daily reminders: /remind, time zones, streaks and the dispatch of due reminders."""
