/**
 * Which setting makes each service listen on each named container port (deploy/k8s/README.md,
 * "Conventions"). The drift check requires the manifest to set it, to the container port's number, so
 * the port the pod declares and probes is the port the process opens.
 */
export const PORT_VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ingest: { health: 'INGEST_HEALTH_PORT', metrics: 'METRICS_PORT' },
  query: { http: 'QUERY_PORT', metrics: 'METRICS_PORT' },
  'ocpp-edge': { ocpp: 'EDGE_PORT', health: 'EDGE_HEALTH_PORT', metrics: 'METRICS_PORT' },
};
