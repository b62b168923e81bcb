"""What the tutor says and decides. Plain async Python: no Telegram, the clock passed in."""
