/**
 * Where every service answers its probes: the health controllers route by these, each service exports
 * them from its entry (`<SERVICE>_HEALTH_PATHS`), and the manifest drift check compares the probes of
 * the Deployments with them.
 */
export const HEALTH_ROUTE = { base: 'health', live: 'live', ready: 'ready' } as const;

export const HEALTH_PATHS = {
  liveness: `/${HEALTH_ROUTE.base}/${HEALTH_ROUTE.live}`,
  readiness: `/${HEALTH_ROUTE.base}/${HEALTH_ROUTE.ready}`,
} as const;
