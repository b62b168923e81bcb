"""Classes in Telegram groups: tutors, invites, challenges, group quiz polls, schedules,
leaderboards, class statistics and reports."""
