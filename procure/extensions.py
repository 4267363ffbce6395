"""Extensions, created unbound; ``create_app`` binds them (and Flask-Migrate, outside a web
worker: Alembic serves only the ``flask db`` commands)."""

from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from procure.db import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
