// Health of one live object: a pure function of what the API server returned.
// Ordered by severity for aggregation (gitops-engine's healthOrder).

export type HealthStatus = 'healthy' | 'suspended' | 'progressing' | 'failed';

export interface Health {
  status: HealthStatus;
  message: string;
}

const severity: Record<HealthStatus, number> = { healthy: 0, suspended: 1, progressing: 2, failed: 3 };

export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return severity[a] > severity[b];
}

export const healthy = (message = ''): Health => ({ status: 'healthy', message });
export const progressing = (message: string): Health => ({ status: 'progressing', message });
export const failed = (message: string): Health => ({ status: 'failed', message });
