# Gunicorn's settings for the portal's web process (Dockerfile, docker-compose.yml).
bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
logger_class = "portal.gunicorn_logging.AccessLogWithoutTokens"
