"""The bot scopes pilotgate asks for; manifest.yml lists the same (a test holds them equal),
and the OAuth install requests exactly these."""

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "im:history",
    "channels:history",
    "groups:history",
    "files:write",
)
