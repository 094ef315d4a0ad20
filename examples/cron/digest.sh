#!/usr/bin/env bash
# The daily digest: the day's normal and low priority mentions, 50 per message, from the store
# the hourly job fills (see listen.sh for the settings).
#
#   crontab:  0 8 * * *  cd /srv/listening && ./digest.sh >> listen.log 2>&1
set -euo pipefail
earful=${EARFUL:-earful}
data=${DATA:-data}
"$earful" fetch -q "$data/mentions.db" --since "${SINCE:-1d}" \
  | "$earful" filter -q 'priority:normal OR priority:low' \
  | "$earful" notify --webhook-env SLACK_URL --state "$data/digest.json" --digest 50
