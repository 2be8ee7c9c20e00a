#!/usr/bin/env bash
# Serve the platform with its background worker (and the beat scheduler) in one terminal.
# DEBUG=true (make dev): Django's runserver, reloading on code changes. Otherwise (make run): gunicorn, as in
# production, with whitenoise serving the collected static files.
set -euo pipefail
bin=.venv/bin
port="${PORT:-8000}"
"$bin/celery" -A config worker --beat -Q celery,periodic --loglevel=info --concurrency=2 \
  --schedule="${VAR_DIR:-var}/celerybeat-schedule" &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "人大街道工委工作平台: http://127.0.0.1:$port (Ctrl-C to stop)"
if [ "${DEBUG:-false}" = true ]; then
  "$bin/python" manage.py runserver "127.0.0.1:$port"
else
  "$bin/gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers 2 --preload --access-logfile -
fi
