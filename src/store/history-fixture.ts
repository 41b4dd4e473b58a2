// A small history for the tests of moving history between stores (src/store/migrate.test.ts on
// SQLite, test/store/kubernetes-migrate.test.ts into the cluster): seeded, and read back whole.
import { release } from './driver-contract.ts';
import type { Store } from './store.ts';
import { keyOf } from './types.ts';

/** A history of two services in two environments, with steps, failures and audit. */
export async function seedHistory(store: Store): Promise<void> {
  for (const [service, environment, version, outcome] of [
    ['hcn', 'test', '1', 'succeeded'],
    ['hcn', 'test', '2', 'failed'],
    ['web', 'test', '1', 'succeeded'],
    ['hcn', 'prod', '1', 'succeeded'],
    ['hcn', 'test', '3', 'succeeded'],
  ] as const) {
    const r = await store.startRelease(
      release({ service, environment, version, startedAt: Number(version) }),
    );
    const plan = await store.startStep(keyOf(r), 'plan', 1);
    await store.endStep(keyOf(r), plan, 'succeeded', `planned ${version}`, 2);
    await store.finishRelease(keyOf(r), outcome, outcome === 'failed' ? 'boom' : '', 3);
    await store.audit({
      at: r.id,
      actor: 'ann',
      action: 'deploy',
      service,
      environment,
      releaseId: r.id,
      detail: version,
    });
  }
  // two identical entries: both move, once each
  const e = {
    at: 99,
    actor: 'ann',
    action: 'login',
    service: 'hcn',
    environment: 'test',
    releaseId: undefined,
    detail: '',
  };
  await store.audit(e);
  await store.audit(e);
}

export async function storeSnapshot(store: Store) {
  const out: unknown[] = [];
  for (const p of await store.latestPerService()) {
    for (const r of await store.history(p.service, p.environment, { limit: 100 })) {
      const full = await store.release(keyOf(r));
      out.push({ ...full, steps: full.steps });
    }
  }
  return { releases: out, audit: await store.auditLog({ limit: 1000 }) };
}
