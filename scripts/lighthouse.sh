#!/usr/bin/env bash
# Lighthouse (mobile) on the home page, the studies table and a study page in both languages; writes the scores to
# benchmarks/lighthouse.json. Not part of `make test`: Lighthouse takes ~15 s per page and its performance score
# moves with the machine's load. Needs Debian's chromium; installs lighthouse 12.8.2 (13.x needs Node >= 22.19)
# into a throwaway folder.
set -euo pipefail
cd "$(dirname "$0")/.."
port=8140
tools=$(mktemp -d)
npm install --prefix "$tools" --no-audit --no-fund --silent lighthouse@12.8.2
NO_MKDOCS_2_WARNING=1 SITE_URL="http://127.0.0.1:$port/" .venv/bin/mkdocs build -q
.venv/bin/python -m scripts.static_server --port "$port" site >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$tools"' EXIT
sleep 1
echo "{" > benchmarks/lighthouse.json
first=1
for page in "" "studies/" "studies/nct03280056/" "zh/" "zh/studies/" "zh/studies/nct03280056/"; do
  CHROME_PATH=/usr/bin/chromium "$tools/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/$page" --quiet \
    --form-factor=mobile --output=json --output-path="$tools/report.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-dev-shm-usage"
  scores=$(python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['categories']; print(json.dumps({k: round(v['score']*100) for k, v in c.items()}))" "$tools/report.json")
  [ $first = 1 ] || echo "," >> benchmarks/lighthouse.json
  first=0
  printf '  "/%s": %s' "$page" "$scores" >> benchmarks/lighthouse.json
  echo "/$page $scores"
done
printf '\n}\n' >> benchmarks/lighthouse.json
