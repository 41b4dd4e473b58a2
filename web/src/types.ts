// The API's answers as the dashboard reads them (the server's zod schemas, src/server/schemas.ts
// and routes/, are the source of truth; the OpenAPI document at /api/v1/openapi.json has them).
export type Role = 'viewer' | 'deployer' | 'admin';

export interface Me {
  actor: string;
  token: string;
  role: Role;
  environments: string[];
}

export interface Step {
  name: string;
  outcome: string;
  message: string;
  startedAt: string;
  ms?: number;
}

export interface ReleaseKey {
  service: string;
  environment: string;
  id: number;
}

export interface Release {
  id: number;
  kind: string;
  service: string;
  environment: string;
  namespace: string;
  version: string;
  outcome: string;
  message: string;
  actor: string;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  sourceRelease?: ReleaseKey;
  source: Record<string, unknown>;
  steps?: Step[];
}

export interface Cell {
  version?: string;
  health: string;
  ready: string;
  drift: string[];
  message?: string;
  release?: Release;
}

export interface MatrixRow {
  service: string;
  team?: string;
  cells: Record<string, Cell>;
  differs: boolean;
}

export interface Matrix {
  environments: string[];
  /** every team the project's services name */
  teams: string[];
  services: MatrixRow[];
  total: number;
  next?: string;
  liveAt?: string;
}

export interface Pod {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  version?: string;
  startedAt?: string;
  ageSeconds?: number;
}

export interface ServiceEnv {
  service: string;
  environment: string;
  namespace: string;
  status?: { health?: string; liveVersion?: string; ready?: string; drift?: string[] };
  pods: Pod[];
  releases: Release[];
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface ReleaseDetail {
  release: Release;
  objects: KObject[];
  previous?: Release;
  diff: { kind: string; name: string; diff: string }[];
}

export interface QueuedRequest {
  id: number;
  kind: string;
  service: string;
  environment: string;
  state: string;
  message: string;
  release?: ReleaseKey;
}

export interface AuditEntry {
  at: string;
  actor: string;
  token?: string;
  action: string;
  service: string;
  environment: string;
  releaseId?: number;
  detail: string;
  source?: string;
  result: string;
}

export type Band = 'elite' | 'high' | 'medium' | 'low' | null;

export interface DoraFigures {
  frequency: { deployments: number; perDay: number; perWeek: number; band: Band };
  leadTime: { count: number; medianMs: number | null; p90Ms: number | null; band: Band };
  mergeToDeploy: { count: number; medianMs: number | null; p90Ms: number | null };
  changeFailRate: { failed: number; changes: number; rate: number | null; band: Band };
  recovery: { count: number; open: number; medianMs: number | null; band: Band };
  reworkRate: { rework: number; releases: number; rate: number | null };
}

export interface DoraReport {
  environment: string;
  window: { from: number; to: number };
  interventionMs: number;
  overall: DoraFigures;
  services: (DoraFigures & { service: string })[];
  weeks: {
    from: number;
    to: number;
    deployments: number;
    failed: number;
    changes: number;
    leadTimeMedianMs: number | null;
    recoveryMedianMs: number | null;
  }[];
}

export interface Preview {
  number: number;
  repository: string;
  environment: string;
  namespace: string;
  domain?: string;
  branch: string;
  headSha: string;
  fork: boolean;
  labels: string[];
  version?: string;
  state: string;
  message: string;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
}

export interface PreviewServices {
  from: string;
  environment: string;
  namespace: string;
  services: {
    service: string;
    url?: string;
    liveVersion?: string;
    health: string;
    message: string;
    release?: Release;
  }[];
}
