"""Telegram update handlers: private chats and groups."""
