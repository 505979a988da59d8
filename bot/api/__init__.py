"""The HTTP API of `pilotgate serve` (`/api/v1`), for live systems to report their numbers."""

from bot.api.app import API_PREFIX
from bot.api.app import ApiApp


def is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


__all__ = ["API_PREFIX", "ApiApp", "is_api_path"]
