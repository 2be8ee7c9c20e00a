#!/usr/bin/env bash
# Serve the platform with its background worker (and the beat scheduler) in one terminal.
set -euo pipefail
bin=.venv/bin
"$bin/celery" -A config worker --beat --loglevel=info --concurrency=2 \
  --schedule="${VAR_DIR:-var}/celerybeat-schedule" &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "人大街道工委工作平台: http://127.0.0.1:8000 (Ctrl-C to stop)"
"$bin/python" manage.py runserver 127.0.0.1:8000
