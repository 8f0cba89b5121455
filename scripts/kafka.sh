#!/usr/bin/env bash
# Runs a real Apache Kafka broker (KRaft, broker+controller in one JVM) for the integration tests,
# without Docker: the broker jars come from Maven Central through scripts/kafka/pom.xml.
#   scripts/kafka.sh start   fetch (once), format (once), start, wait until it answers metadata requests
#   scripts/kafka.sh stop    stop the broker started here (recorded pid)
#   scripts/kafka.sh status
# Cluster mode (tools/chaos): three KRaft nodes, each broker and controller, on their own ports and data
# directories under DIR; nothing of the single broker above (its port, data, pid file) is touched.
#   scripts/kafka.sh cluster-start DIR     format (once) and start the three nodes, wait until all three serve
#   scripts/kafka.sh cluster-stop DIR      stop every node of DIR (SIGTERM to all, SIGKILL after 30 s)
#   scripts/kafka.sh node-start DIR N      start node N (1-3) of DIR again, wait until it serves
#   scripts/kafka.sh node-kill DIR N       SIGKILL node N of DIR (a crash, no controlled shutdown)
#   scripts/kafka.sh cluster-brokers       the bootstrap list, host:port,…
# Settings: KAFKA_PORT (default 19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_HOME (default .kafka/ in the repo);
# KAFKA_CLUSTER_BASE_PORT (default 29092): node N listens on base+2(N-1), its controller on the next port.
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

# --- cluster mode -------------------------------------------------------------------------------
base=${KAFKA_CLUSTER_BASE_PORT:-29092}
node_port() { echo $((base + 2 * ($1 - 1))); }
node_cport() { echo $((base + 2 * ($1 - 1) + 1)); }
cluster_brokers() { echo "127.0.0.1:$(node_port 1),127.0.0.1:$(node_port 2),127.0.0.1:$(node_port 3)"; }
node_running() { [ -f "$1/node-$2/kafka.pid" ] && kill -0 "$(cat "$1/node-$2/kafka.pid")" 2>/dev/null; }

node_ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$(node_port "$2")") 2>/dev/null && node -e '
    const { Kafka, logLevel } = require(process.argv[1]);
    const admin = new Kafka({ brokers: [process.argv[2]], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    admin.connect().then(() => admin.describeCluster()).then((c) => process.exit(c.brokers.length >= 1 ? 0 : 1), () => process.exit(1));
  ' "$repo/node_modules/kafkajs" "127.0.0.1:$(node_port "$2")" 2>/dev/null
}

node_start() {
  local dir=$1 n=$2 nd="$1/node-$2"
  if node_running "$dir" "$n"; then return; fi
  mkdir -p "$nd/data"
  local voters="1@127.0.0.1:$(node_cport 1),2@127.0.0.1:$(node_cport 2),3@127.0.0.1:$(node_cport 3)"
  cat > "$nd/server.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(node_port "$n"),CONTROLLER://127.0.0.1:$(node_cport "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(node_port "$n")
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$nd/data
num.partitions=6
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1000
log.retention.hours=24
PROPS
  if [ ! -f "$nd/data/meta.properties" ]; then
    local l4j="-Dlog4j.configuration=file:$here/kafka/log4j.properties"
    java "$l4j" -cp "$libs/*" kafka.tools.StorageTool format -t "$(cat "$dir/cluster.id")" -c "$nd/server.properties" --ignore-formatted >/dev/null
  fi
  nohup java -Xms128m -Xmx320m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j.configuration="file:$here/kafka/log4j.properties" \
    -cp "$libs/*" kafka.Kafka "$nd/server.properties" >"$nd/kafka.log" 2>&1 &
  echo $! > "$nd/kafka.pid"
}

node_wait() {
  for _ in $(seq 1 180); do
    if ! node_running "$1" "$2"; then echo "kafka.sh: node $2 exited; last lines of $1/node-$2/kafka.log:" >&2; tail -20 "$1/node-$2/kafka.log" >&2; exit 1; fi
    if node_ready "$1" "$2"; then return; fi
    sleep 1
  done
  echo "kafka.sh: node $2 did not answer within 180 s; see $1/node-$2/kafka.log" >&2
  exit 1
}

node_kill() {
  if node_running "$1" "$2"; then kill -9 "$(cat "$1/node-$2/kafka.pid")"; fi
  for _ in $(seq 1 50); do node_running "$1" "$2" || break; sleep 0.1; done
  rm -f "$1/node-$2/kafka.pid"
}

cluster_stop() {
  # All three at once (SIGTERM), then SIGKILL for what is still running after 30 s.
  for n in 1 2 3; do node_running "$1" "$n" && kill "$(cat "$1/node-$n/kafka.pid")"; done
  for _ in $(seq 1 60); do
    node_running "$1" 1 || node_running "$1" 2 || node_running "$1" 3 || break
    sleep 0.5
  done
  for n in 1 2 3; do node_kill "$1" "$n"; done
  echo "kafka.sh: cluster stopped"
}

cluster_dir() {
  [ -n "${1:-}" ] || { echo "kafka.sh: give the cluster's directory (e.g. a temporary one)" >&2; exit 2; }
  mkdir -p "$1" && cd "$1" && pwd
}

cluster_start() {
  fetch
  for n in 1 2 3; do
    if ! node_running "$1" "$n" && (exec 3<>"/dev/tcp/127.0.0.1/$(node_port "$n")") 2>/dev/null; then
      echo "kafka.sh: 127.0.0.1:$(node_port "$n") is taken by another process; set KAFKA_CLUSTER_BASE_PORT" >&2; exit 1
    fi
  done
  [ -f "$1/cluster.id" ] || java -Dlog4j.configuration="file:$here/kafka/log4j.properties" -cp "$libs/*" kafka.tools.StorageTool random-uuid > "$1/cluster.id"
  echo "kafka.sh: starting a three-node cluster on $(cluster_brokers) (data: $1)" >&2
  for n in 1 2 3; do node_start "$1" "$n"; done
  for n in 1 2 3; do node_wait "$1" "$n"; done
  echo "kafka.sh: cluster ready on $(cluster_brokers)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running && ready; then echo "running on 127.0.0.1:$port"; else echo "not running"; exit 1; fi ;;
  cluster-start) cluster_start "$(cluster_dir "${2:-}")" ;;
  cluster-stop) d=$(cluster_dir "${2:-}"); cluster_stop "$d" ;;
  node-start) d=$(cluster_dir "${2:-}"); node_start "$d" "${3:?node 1-3}"; node_wait "$d" "$3"; echo "kafka.sh: node $3 ready on 127.0.0.1:$(node_port "$3")" ;;
  node-kill) d=$(cluster_dir "${2:-}"); node_kill "$d" "${3:?node 1-3}"; echo "kafka.sh: node $3 killed" ;;
  cluster-brokers) cluster_brokers ;;
  *) echo "usage: scripts/kafka.sh start|stop|status|cluster-start DIR|cluster-stop DIR|node-start DIR N|node-kill DIR N|cluster-brokers" >&2; exit 2 ;;
esac
