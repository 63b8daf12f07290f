# One image for web, worker and beat. Untested here: no Docker engine runs on the build machines.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_DEBUG=false DJANGO_CONN_MAX_AGE=60
WORKDIR /app
RUN useradd --create-home --uid 1000 maeul
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs a key to import settings; it is not used at run time.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret python -m portal.i18n compile \
    && DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/.var/media && chown -R maeul /app/.var
USER maeul
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
