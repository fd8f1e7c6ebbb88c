"""Periodic jobs: the delivery loop and the backlog gauges (reliability rule 6: due rows, not scans)."""

from __future__ import annotations

from notifier.channels import Channel
from notifier.channels.email import EmailChannel
from notifier.channels.im import ImChannel
from notifier.channels.in_app import InAppChannel
from notifier.channels.sms import SmsChannel
from notifier.dispatcher import Dispatcher, refresh_gauges
from notifier.settings import NotifierSettings
from servicekit.db import Database

__all__ = ["build_channels", "build_dispatcher", "refresh_gauges"]


def build_channels(db: Database, settings: NotifierSettings) -> dict[str, Channel]:
    return {
        "email": EmailChannel(settings),
        "sms": SmsChannel(settings),
        "im": ImChannel(settings),
        "in_app": InAppChannel(db),
    }


def build_dispatcher(db: Database, settings: NotifierSettings) -> Dispatcher:
    return Dispatcher(db, lambda: build_channels(db, settings), settings)
