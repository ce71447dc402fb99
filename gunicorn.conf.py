# Gunicorn's settings for the portal's web process (Dockerfile, docker-compose.yml).
bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# JSON lines like the portal's own when LOG_FORMAT is json (the default with DEBUG off); no survey token either way.
logger_class = "portal.gunicorn_logging.AccessLogWithoutTokens"
