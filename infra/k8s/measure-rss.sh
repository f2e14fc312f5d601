#!/usr/bin/env bash
# Peak resident memory (RSS) of each service while `lookalike demo` rebuilds its sample (600 articles
# with images, 2,000 customers, 40,000 transactions; every service as its own process on loopback,
# local Redis, file storage), sampled with `ps` every 0.2 s. The figures behind the manifests'
# requests and limits (see README.md here). Needs the build (`pnpm build`).
#   bash infra/k8s/measure-rss.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && node "$root/services/cli/dist/main.js" demo --port 0 >"$work/demo.log" 2>&1) &
demo=$!
declare -A peak
while kill -0 "$demo" 2>/dev/null; do
  while read -r rss args; do
    service="$(sed -E 's#.*services/([a-z]+)/dist/main\.js.*#\1#' <<<"$args")"
    [ "${peak[$service]:-0}" -lt "$rss" ] && peak[$service]=$rss
  done < <(ps -eo rss=,args= | grep -E 'services/(producer|embedder|reducer|indexer|recommender)/dist/main\.js' | grep -v grep || true)
  sleep 0.2
done
wait "$demo" || { tail -20 "$work/demo.log"; exit 1; }
grep -E '^(images|stages)' "$work/demo.log" || true
for service in producer embedder reducer indexer recommender; do
  printf '%-12s peak RSS %4d MiB\n' "$service" $(( ${peak[$service]:-0} / 1024 ))
done
