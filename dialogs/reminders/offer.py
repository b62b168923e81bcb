"""The one-time offer of daily reminders, made when a student finishes their first quiz."""

from __future__ import annotations

from dialogs.context import Context
from dialogs.reminders.shared import button_data, recorded_user, time_buttons, zone_title
from dialogs.reminders.zones import zone_name
from dialogs.replies import Button, Message, Reply
from dialogs.text import esc
from storage import reminders as store


async def maybe_offer(ctx: Context) -> list[Reply]:
    """Offer daily reminders once, ever (call it when a student finishes their first quiz).

    Returns [] if they already have a reminder or were offered one before.
    """
    if not ctx.private:
        return []
    user = await recorded_user(ctx)
    if user.remind_at is not None:
        return []
    first_time = await ctx.db.run(
        lambda session: store.mark_offered(session, user_id=ctx.person.id)
    )
    if not first_time:
        return []
    zone = zone_name(user, ctx.services)
    text = (
        "📅 Want a nudge to revise? Pick a time and I'll send one question a day "
        f"({esc(zone_title(zone))} time). You can change or stop it any time with /remind."
    )
    buttons = (*time_buttons(), (Button("No thanks", button_data("no")),))
    return [Message(text, buttons)]
