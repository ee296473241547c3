#!/usr/bin/env bash
# The auditor's walkthrough, run against a throwaway embedded ledger; prints every command and its output.
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WALK=${WALK:-$(mktemp -d)}
export TALLY_PORT=8097 TALLY_EMBEDDED_DB_PORT=5497 TALLY_DATA_DIR=$WALK/data TALLY_BOOTSTRAP_ADMIN_KEY=admin-walkthrough-key
rm -rf $WALK/data
java -jar command-api/target/tally.jar > $WALK/server.log 2>&1 &
SERVER=$!
for i in $(seq 1 120); do curl -sf localhost:8097/actuator/health/readiness >/dev/null && break; sleep 1; done
A="Authorization: Bearer admin-walkthrough-key"; J="Content-Type: application/json"
H=localhost:8097
curl -s -XPOST $H/v1/plans -H "$A" -H "$J" -d '{"planId":"gpu-pro","currency":"USD","effectiveFrom":"2026-11-01T00:00:00Z","prices":[{"meter":"gpu_seconds","model":"per_unit","unitPrice":"0.01"}]}' >/dev/null
curl -s -XPOST $H/v1/accounts -H "$A" -H "$J" -d '{"accountId":"acme","name":"Acme","currency":"USD","planId":"gpu-pro","billingStart":"2026-11-01T00:00:00Z"}' >/dev/null
curl -s -XPOST $H/v1/accounts/acme/credits -H "$A" -H "$J" -H "X-Request-Id: onboarding-42" -d '{"grantId":"welcome","amount":"10","kind":"promotional"}' >/dev/null
NOW=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
curl -s -XPOST $H/v1/usage -H "$A" -H "$J" -d "{\"events\":[{\"idempotencyKey\":\"job-1\",\"accountId\":\"acme\",\"meter\":\"gpu_seconds\",\"quantity\":\"1500\",\"timestamp\":\"$NOW\"}]}" >/dev/null
curl -s -XPOST $H/v1/accounts/acme/payments -H "$A" -H "$J" -d '{"paymentId":"pay-1","amount":"5","method":"wire"}' >/dev/null
AUDITOR=$(curl -s -XPOST $H/v1/api-keys -H "$A" -H "$J" -d '{"name":"external auditor","role":"auditor"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
echo '$ curl -s "localhost:8080/v1/accounts/acme/audit?type=CreditGranted" -H "Authorization: Bearer $AUDITOR_KEY"'
curl -s "$H/v1/accounts/acme/audit?type=CreditGranted" -H "Authorization: Bearer $AUDITOR" | python3 -m json.tool
curl -s -XPOST $H/v1/audit/checkpoints -H "$A" >/dev/null
echo '$ curl -s localhost:8080/v1/audit/checkpoints/latest -H "Authorization: Bearer $AUDITOR_KEY" -o checkpoint.json; cat checkpoint.json'
curl -s $H/v1/audit/checkpoints/latest -H "Authorization: Bearer $AUDITOR" -o $WALK/checkpoint.json; cat $WALK/checkpoint.json; echo
kill -TERM $SERVER; wait $SERVER
# The server stopped; its embedded PostgreSQL is gone with it. The tools need the database: start it again as a server.
java -jar command-api/target/tally.jar > $WALK/server2.log 2>&1 &
SERVER=$!
for i in $(seq 1 120); do curl -sf localhost:8097/actuator/health/readiness >/dev/null && break; sleep 1; done
R="java -jar $ROOT/replay-tools/target/tally-replay.jar"
DB="--db-url jdbc:postgresql://127.0.0.1:5497/tally"
for c in "verify --digest checkpoint.json" "history --account acme" "balance --account acme --as-of $(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
  echo "\$ java -jar replay-tools/target/tally-replay.jar $c $DB"
  (cd $WALK && $R $c $DB 2>/dev/null); echo "(exit $?)"
done
echo "\$ psql -h 127.0.0.1 -p 5497 -U postgres tally -c \"SET session_replication_role = replica; UPDATE events.domain_event_entry SET payload = replace(payload::text, 1500, 150)::json WHERE payload ->> idempotencyKey = job-1\""
psql -h 127.0.0.1 -p 5497 -U postgres tally -c "SET session_replication_role = replica; UPDATE events.domain_event_entry SET payload = replace(payload::text, '\"quantity\":1500', '\"quantity\":150')::json WHERE payload ->> 'idempotencyKey' = 'job-1';" 2>&1
echo "\$ java -jar replay-tools/target/tally-replay.jar verify --digest checkpoint.json $DB"
(cd $WALK && $R verify --digest checkpoint.json $DB 2>/dev/null); echo "(exit $?)"
kill -TERM $SERVER; wait $SERVER
