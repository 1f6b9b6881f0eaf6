"""Builds everything a process needs from the environment, in one place for every entry point."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from slack_bolt import App

from bot import settings as settings_module
from bot.app import build_app
from bot.services import Services
from storage.db import Database


@dataclass(frozen=True)
class Runtime:
    services: Services
    app: App


def build_services(settings: settings_module.Settings) -> Services:
    return Services(settings=settings, db=Database.from_url(settings.database_url), jobs_in_background=True)


def build_runtime(
    environ: Mapping[str, str] | None = None,
    *,
    settings: settings_module.Settings | None = None,
    require_app_token: bool = False,
) -> Runtime:
    if settings is None:
        settings = settings_module.load(environ, require_app_token=require_app_token)
    settings_module.configure_logging(settings.log_level, settings.log_format)
    services = build_services(settings)
    return Runtime(services=services, app=build_app(services))
