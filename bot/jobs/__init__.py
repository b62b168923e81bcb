"""JobQueue jobs: the reminder dispatcher and the group poster."""
