import pytest

from procure.config import ConfigError, load_config, normalise_database_url


def test_hosting_provider_urls_are_accepted() -> None:
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_production_refuses_to_start_without_secrets(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY dan DATABASE_URL"):
        load_config(str(tmp_path), "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_config(str(tmp_path), "production")


def test_production_cookies_are_secure(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgres://app@db.internal/procure")
    values = load_config(str(tmp_path), "production")
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["REMEMBER_COOKIE_SECURE"] is True
    assert values["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/procure"


def test_development_defaults_to_sqlite_in_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    values = load_config(str(tmp_path), "development")
    assert values["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/procure.db"
    assert len(str(values["SECRET_KEY"])) == 64
    assert load_config(str(tmp_path), "development")["SECRET_KEY"] == values["SECRET_KEY"]


def test_unknown_environment_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError):
        load_config(str(tmp_path), "staging")
