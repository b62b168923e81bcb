"""The Telegram adapter: builds the PTB Application and renders dialog replies.

``app`` is the one factory; ``handlers`` map updates to plain data and ask the tutor; ``jobs``
send what the bot sends on its own (reminders, group posts); ``render`` turns replies into Bot
API calls; ``terminal`` is the same tutor in a terminal; ``cli`` the ``tutor`` command.
"""
