#!/usr/bin/env bash
# Runs a real Apache Kafka broker (KRaft, broker+controller in one JVM) for the integration tests,
# without Docker: the broker jars come from Maven Central through scripts/kafka/pom.xml.
#   scripts/kafka.sh start   fetch (once), format (once), start, wait until it answers metadata requests
#   scripts/kafka.sh stop    stop the broker started here (recorded pid)
#   scripts/kafka.sh status
# Settings: KAFKA_PORT (default 19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_HOME (default .kafka/ in the repo).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
home=${KAFKA_HOME:-$repo/.kafka}
port=${KAFKA_PORT:-19092}
cport=${KAFKA_CONTROLLER_PORT:-19093}
libs=$home/libs
data=$home/data
pidfile=$home/kafka.pid
log=$home/kafka.log
props=$home/server.properties

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "kafka.sh: $1 is not installed; it is needed to $2" >&2; exit 3; }
}

ready() {
  # A metadata request: succeeds only when the broker is up and serving.
  java -cp "$libs/*" kafka.admin.BrokerApiVersionsCommand --bootstrap-server "127.0.0.1:$port" >/dev/null 2>&1 \
    || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && node -e '
      const { Kafka, logLevel } = require(process.argv[1]);
      const admin = new Kafka({ brokers: [process.argv[2]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
      admin.connect().then(() => admin.fetchTopicMetadata({ topics: [] })).then(() => process.exit(0), () => process.exit(1));
    ' "$repo/node_modules/kafkajs" "127.0.0.1:$port" 2>/dev/null
}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

fetch() {
  if [ -f "$libs/.complete" ]; then return; fi
  need java "run the Kafka broker"
  need mvn "fetch the Kafka broker jars from Maven Central"
  echo "kafka.sh: fetching the Kafka broker jars with Maven (once) into $libs" >&2
  mkdir -p "$libs"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  touch "$libs/.complete"
}

start() {
  if running; then echo "kafka.sh: broker already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  fetch
  if ready; then echo "kafka.sh: a broker (not started from here) already answers on 127.0.0.1:$port; using it"; return; fi
  mkdir -p "$data"
  cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data
num.partitions=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
log.retention.hours=168
PROPS
  if [ ! -f "$data/meta.properties" ]; then
    local l4j="-Dlog4j.configuration=file:$here/kafka/log4j.properties"
    java "$l4j" -cp "$libs/*" kafka.tools.StorageTool format -t "$(java "$l4j" -cp "$libs/*" kafka.tools.StorageTool random-uuid)" -c "$props" --ignore-formatted >/dev/null
  fi
  echo "kafka.sh: starting the broker on 127.0.0.1:$port (log: $log)" >&2
  nohup java -Xmx512m -Dlog4j.configuration="file:$here/kafka/log4j.properties" -cp "$libs/*" kafka.Kafka "$props" >"$log" 2>&1 &
  echo $! > "$pidfile"
  for _ in $(seq 1 120); do
    if ! running; then echo "kafka.sh: the broker exited; last lines of $log:" >&2; tail -20 "$log" >&2; exit 1; fi
    if ready; then echo "kafka.sh: broker ready on 127.0.0.1:$port"; return; fi
    sleep 1
  done
  echo "kafka.sh: the broker did not answer within 120 s; see $log" >&2
  exit 1
}

stop() {
  if running; then
    kill "$(cat "$pidfile")"
    for _ in $(seq 1 30); do running || break; sleep 1; done
    running && kill -9 "$(cat "$pidfile")" || true
    echo "kafka.sh: broker stopped"
  else
    echo "kafka.sh: no broker started here is running"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && ready; then echo "running on 127.0.0.1:$port"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: scripts/kafka.sh start|stop|status" >&2; exit 2 ;;
esac
