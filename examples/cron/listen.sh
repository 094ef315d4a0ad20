#!/usr/bin/env bash
# The hourly listening job: fetch what is new, keep the brand's mentions, classify, route to
# the owning team, store, and post the urgent ones to chat at once.
#
#   crontab:  7 * * * *  cd /srv/listening && ./listen.sh >> listen.log 2>&1
#
# Settings (environment): EARFUL (the binary), SOURCES (feeds, OPML or export folders),
# QUERIES, ROUTES, DATA (where the state, store and team files live), and the webhook URL
# in SLACK_URL (read by notify through --webhook-env, so it is in no command line or log).
set -euo pipefail
earful=${EARFUL:-earful}
data=${DATA:-data}
queries=${QUERIES:-examples/queries.toml}
routes=${ROUTES:-examples/cron/teams.toml}
read -r -a sources <<< "${SOURCES:-examples/feeds examples/x-archive}"
mkdir -p "$data"
hour="$data/hour.jsonl"

# Only what earlier runs did not deliver (fetch --state); each team's file grows by the hour.
"$earful" fetch -q --state "$data/fetch-state.json" "${sources[@]}" \
  | "$earful" filter -q --queries "$queries" \
  | "$earful" classify -q --queries "$queries" \
  | "$earful" route -q --routes "$routes" --default-team care --split "$data/teams" -o "$hour"

# The store: upserted by id, read back by `earful fetch data/mentions.db --since 7d`.
"$earful" export -q -o "$data/mentions.db" "$hour"

# Urgent and high priority now, one message each, each mention once ever; what fails or is
# over --max waits in data/urgent.json.queue for the next run.
"$earful" filter -q 'priority:urgent OR priority:high' "$hour" \
  | "$earful" notify --webhook-env SLACK_URL --state "$data/urgent.json" --max 30

# A spike in the last hours is posted too (the state keeps it to once).
"$earful" fetch -q "$data/mentions.db" --since 3d \
  | "$earful" stats -q --by hour --spikes \
  | "$earful" notify --webhook-env SLACK_URL --state "$data/spikes.json"
