"""The HTTP channel: the JSON API, the web chat widget, the agent console and admin view."""

from kefu.channels.http.app import create_app

__all__ = ["create_app"]
