#!/usr/bin/env bash
# Serve the platform with its background worker (and the beat scheduler) in one terminal.
# DEBUG=true (make dev): Django's runserver, reloading on code changes. Otherwise (make run): gunicorn, as in
# production, with whitenoise serving the collected static files.
# The worker starts once the server answers (so the first page is not slowed by its start), and with
# SEED_DEMO_REST=true (make run) so does `seed_demo --rest`, the demo after its accounts, step by step.
set -euo pipefail
bin=.venv/bin
port="${PORT:-8000}"

answering() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
after_server() {
  until answering; do sleep 0.2; done
  exec "$@"
}

after_server "$bin/celery" -A config worker --beat -Q celery,periodic --loglevel=info --concurrency=2 \
  --schedule="${VAR_DIR:-var}/celerybeat-schedule" &
background=$!
if [ "${SEED_DEMO_REST:-false}" = true ]; then
  after_server "$bin/python" manage.py seed_demo --rest --skip-checks &
  background="$background $!"
fi
# shellcheck disable=SC2086 # the list of process ids
trap 'kill $background 2>/dev/null; wait $background 2>/dev/null' EXIT INT TERM
echo "人大街道工委工作平台: http://127.0.0.1:$port (Ctrl-C to stop)"
if [ "${DEBUG:-false}" = true ]; then
  "$bin/python" manage.py runserver "127.0.0.1:$port"
else
  "$bin/gunicorn" config.wsgi --bind "127.0.0.1:$port" --workers 2 --preload --access-logfile -
fi
