// What `ferry parity` finds: one row per compared aspect of a service, with a verdict.

export type Severity = 'ok' | 'info' | 'warning' | 'blocking';

export interface ParityRow {
  service: string;
  /** image, instances, cpu, memory, env, secrets, ports, health, routes, crons, volumes, tls, proxy */
  aspect: string;
  old: string;
  new: string;
  severity: Severity;
  /** the pitfall rule that found it, e.g. cpu-requests-equal-limits */
  rule?: string;
  note?: string;
}

export interface ParityResult {
  env: string;
  oldFormat: string;
  rows: ParityRow[];
  summary: Record<Severity, number>;
  /** true when no blocking difference remains */
  ok: boolean;
}
