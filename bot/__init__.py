"""The Telegram adapter: builds the PTB Application and renders dialog replies."""
