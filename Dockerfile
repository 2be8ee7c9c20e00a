# Production image: gunicorn serves the app, whitenoise the static files; the same image runs the worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 VAR_DIR=/app/var
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai fonts-arphic-ukai \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt .
COPY . .
# Production storage (hashed names + compressed copies, as whitenoise serves them); the key only gets Django started.
RUN DEBUG=false SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
 && useradd --system --home /app committee && mkdir -p /app/var/media && chown -R committee /app/var
USER committee
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
