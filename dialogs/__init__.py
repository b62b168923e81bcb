"""What the tutor says and decides. Plain async Python: no Telegram, the clock passed in.

Start at ``tutor`` (the router every adapter calls). Features are packages: ``quiz``,
``scenarios``, ``reminders``, ``classes``; ``language`` reads what students write for all of
them. What every feature shares stays here: ``context`` (who, where, when), ``replies`` (plain
messages, buttons, polls), ``text`` (safe HTML), ``feature`` (the shape of a feature),
``commands`` (the command list), ``menu``, ``people``, ``settings`` and ``corrections``
(misconceptions corrected wherever they are typed).
"""
