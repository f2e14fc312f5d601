#!/bin/sh
# Entry point of every lookalike image: SERVICE picks the service (default producer); arguments go
# to it (e.g. SERVICE=cli with `rebuild status <id>`). The app root is two folders above this script.
set -eu
app="$(cd "$(dirname "$0")/../.." && pwd)"
service="${SERVICE:-producer}"
case "$service" in
  producer | embedder | reducer | indexer | recommender | cli) ;;
  *)
    echo "SERVICE=$service: expected producer, embedder, reducer, indexer, recommender or cli" >&2
    exit 2
    ;;
esac
exec node "$app/services/$service/dist/main.js" "$@"
