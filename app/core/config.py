"""Settings: one pydantic-settings object with nested sections, read from SOTAY_* variables."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from audio.stt.base import SttConfig
from audio.tts.base import TtsConfig
from pipelines.config import (
    DocumentSettings,
    EmbeddingSettings,
    LLMSettings,
    RetrievalSettings,
    VectorStoreSettings,
)

DEV_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - refused outside development
DEV_BALLOT_KEY = "dev-insecure-ballot-key-change-me"  # noqa: S105 - refused in production


class DBSettings(BaseModel):
    # Empty means the embedded SQLite file under the data directory.
    url: str = ""
    echo: bool = False
    pool_size: int = 10


class ServerSettings(BaseModel):
    # Requests one web process serves at once; more wait in the kernel's accept queue. The
    # threadpool gets more threads than this (see app.main), so a request that holds a database
    # lock can always get the thread it needs to finish; otherwise a burst of requests queued
    # behind that lock could take every thread and deadlock until the pool timed out.
    limit_concurrency: int = Field(default=100, ge=1)
    # Request bodies are counted while they stream and refused with 413 once past their limit
    # (app.core.body_limit): uploads get their file limit (documents, imports) plus room for the
    # multipart framing, the anonymous login forms a few KB, every other body this much.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    max_login_body_bytes: int = Field(default=8 * 1024, ge=1024)
    upload_overhead_bytes: int = Field(default=64 * 1024, ge=0)
    # Retry-After of the 503 a database outage answers (app.core.outage).
    retry_after_seconds: int = Field(default=5, ge=1)


class AuthSettings(BaseModel):
    secret_key: str = DEV_SECRET
    session_hours: int = 12
    token_hours: int = 24
    # Failed sign-ins and check-in codes are throttled, never locked (app.core.throttle): past
    # its free failures each further one waits base x 2^n seconds, up to the cap. Sign-ins count
    # per login and source, per login (loose, and a right password from a source with no failures
    # on that login, or one it signed in from before, passes it: nobody can lock a member out)
    # and per source over all logins (spraying); check-in codes per member and meeting.
    login_free_failures: int = Field(default=5, ge=1)
    account_free_failures: int = Field(default=20, ge=1)
    source_free_failures: int = Field(default=30, ge=1)
    checkin_free_failures: int = Field(default=5, ge=1)
    throttle_base_seconds: int = Field(default=30, ge=1)
    throttle_max_seconds: int = Field(default=3600, ge=1)
    # A throttle with no failure for this long starts again from nothing.
    throttle_forget_hours: int = Field(default=24, ge=1)
    # A one-time activation or reset code (app.accounts.service_admin) works this long: long
    # enough to hand a printed slip over at the next cell meeting.
    activation_code_hours: int = Field(default=168, ge=1)
    cookie_secure: bool = False


class VotesSettings(BaseModel):
    # HMAC key of the secret-ballot chain (app.votes.service_ballots). Not in the database, so that
    # whoever can write it cannot re-MAC an edited ballot; apart from the auth secret, so that
    # rotating that one does not void past votes. Losing it makes every ballot fail to verify.
    ballot_key: str = DEV_BALLOT_KEY


class JobsSettings(BaseModel):
    # Empty broker means the embedded SQLAlchemy transport on SQLite under the data directory.
    broker_url: str = ""
    result_backend: str = ""
    # Run a worker process beside `sotay serve` (the embedded default).
    embedded_worker: bool = True
    heartbeat_seconds: float = 5.0
    # A running job whose heartbeat is older than this is taken as orphaned and requeued.
    stale_after_seconds: float = 60.0
    sweep_every_seconds: float = 30.0
    # A queued job not picked up in this time is sent again (the message may have died with a worker).
    requeue_queued_after_seconds: float = 300.0
    max_attempts: int = 5


class ImportSettings(BaseModel):
    max_rows: int = 20000
    max_bytes: int = 20 * 1024 * 1024


class FeedbackSettings(BaseModel):
    # Feedback summaries (issue 16) are recomputed this long after a target's latest post, so a
    # burst of posts costs one summary (queued by the next sweep, every jobs.sweep_every_seconds).
    summary_debounce_seconds: float = Field(default=60.0, ge=0)
    # A unit's count in a theme is shown only from this many posts, so no one is singled out.
    summary_min_group_size: int = Field(default=5, ge=2)
    # Cluster over the packaged embeddings (the `embeddings` section's model); off: lexical only.
    summary_embeddings: bool = True


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SOTAY_", env_nested_delimiter="__", env_file=None, extra="ignore"
    )

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("./var")
    base_url: str = "http://127.0.0.1:8000"
    default_locale: Literal["vi", "en"] = "vi"
    db: DBSettings = Field(default_factory=DBSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    votes: VotesSettings = Field(default_factory=VotesSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    imports: ImportSettings = Field(default_factory=ImportSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    # The lower layers' own configs, embedded as sections (pipelines.config, vectorstore.config).
    documents: DocumentSettings = Field(default_factory=DocumentSettings)
    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vectorstore: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    # Speech-to-text (issue 13): the audio package's own config, SOTAY_STT__PROVIDER etc.
    stt: SttConfig = Field(default_factory=SttConfig)
    # Text-to-speech for audio bulletins (issue 15): SOTAY_TTS__PROVIDERS etc.
    tts: TtsConfig = Field(default_factory=TtsConfig)

    @model_validator(mode="after")
    def _refuse_dev_secret(self) -> Settings:
        if self.env == "production" and self.auth.secret_key == DEV_SECRET:
            raise ValueError("SOTAY_AUTH__SECRET_KEY must be set in production")
        if self.env == "production" and self.votes.ballot_key in ("", DEV_BALLOT_KEY):
            raise ValueError("SOTAY_VOTES__BALLOT_KEY must be set in production")
        return self

    @cached_property
    def database_url(self) -> str:
        if self.db.url:
            return self.db.url
        return f"sqlite:///{(self.data_dir / 'sotay.db').resolve()}"

    @cached_property
    def broker_url(self) -> str:
        if self.jobs.broker_url:
            return self.jobs.broker_url
        return f"sqla+sqlite:///{(self.data_dir / 'broker.db').resolve()}"

    @cached_property
    def result_backend(self) -> str:
        if self.jobs.result_backend:
            return self.jobs.result_backend
        return f"db+sqlite:///{(self.data_dir / 'results.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    def ensure_dirs(self) -> None:
        """Create the data directory layout; called by entry points, never at import."""
        for sub in ("", "files", "exports", "imports"):
            (self.data_dir / sub).mkdir(parents=True, exist_ok=True)


_settings: Settings | None = None


def get_settings() -> Settings:
    """Process-wide settings, read lazily so that nothing touches the environment at import."""
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def set_settings(settings: Settings | None) -> None:
    global _settings
    _settings = settings
