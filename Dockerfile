# syntax=docker/dockerfile:1
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system app && useradd --system --gid app --home-dir /app app
WORKDIR /app

# Dependencies in their own layer: code changes do not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=app:app . .
# collectstatic needs settings but no secrets or database.
RUN DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R app:app /app/var /app/staticfiles

USER app
ENV DEBUG=0 PORT=8000 MEDIA_ROOT=/app/var/media
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "social_media.wsgi:application"]
