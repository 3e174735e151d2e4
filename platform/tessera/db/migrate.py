"""Run the platform's alembic migrations (`tessera migrate`, `serve` on start, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from tessera.config import Settings

_ROOT = Path(__file__).resolve().parents[3]


def _config(settings: Settings) -> Config:
    ini = _ROOT / "alembic.ini"
    config = Config(str(ini))
    config.set_main_option("script_location", str(_ROOT / "migrations"))
    config.attributes["sqlalchemy_url"] = settings.sync_url
    return config


def upgrade(settings: Settings, revision: str = "heads") -> None:
    command.upgrade(_config(settings), revision)


def downgrade(settings: Settings, revision: str = "base") -> None:
    command.downgrade(_config(settings), revision)


def current_heads(settings: Settings) -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(_config(settings)).get_heads())
