// What the start-up snapshot holds ready (src/cli/start.ts): every command and the modules their
// actions import on first use, loaded; then examples/anna validated and rendered for every
// target, so the snapshot also holds the compiled code of that path and the validators zod
// generates on a schema's first use. A snapshot-started process then compiles and evaluates none
// of it. Left out, loaded when first used: SQLite's native addon (opened with the first store),
// `pg` (it reads the environment when loaded) and the Kubernetes client (node:http and
// node:http2 cannot be held in a snapshot). Runs only while the snapshot is built.
import { fileURLToPath } from 'node:url';
import { commands } from './commands/index.ts';

export async function warm(): Promise<void> {
  await Promise.all([
    ...commands.map((load) => load()),
    import('../manifest/load.ts'),
    import('../manifest/parse.ts'),
    import('../manifest/suggest.ts'),
    import('../model/resolve.ts'),
    import('../model/platform.ts'),
    import('../model/check.ts'),
    import('../render/serialize.ts'),
    import('../render/kubernetes/target.ts'),
    import('../render/kubernetes/index.ts'),
    import('../render/swarm/index.ts'),
    import('../render/marathon/index.ts'),
    import('../render/helm/index.ts'),
    import('../render/helm/chart.ts'),
    import('../import/index.ts'),
    import('../import/detect.ts'),
    import('../import/report.ts'),
    import('../import/write.ts'),
    import('../import/compose/index.ts'),
    import('../import/marathon/index.ts'),
    import('../import/chronos/index.ts'),
    import('../import/beanstalk/index.ts'),
    import('../import/kubernetes/index.ts'),
    import('../parity/index.ts'),
    import('../engine/context.ts'),
    import('../engine/deploy.ts'),
    import('../engine/rollback.ts'),
    import('../engine/plan.ts'),
    import('../engine/status.ts'),
    import('../engine/history.ts'),
    import('../engine/diff.ts'),
    import('../engine/lock.ts'),
    import('../engine/pod-labels.ts'),
    import('../store/store.ts'),
  ]);
  const { renderCommand } = await import('./commands/render.ts');
  const { targetNames } = await import('../render/targets.ts');
  const dir = fileURLToPath(new URL('../../examples/anna', import.meta.url));
  for (const target of targetNames()) {
    for (const output of ['yaml', 'json']) {
      await renderCommand({
        dir,
        services: [],
        env: 'test',
        version: undefined,
        target,
        output,
        jobs: true,
        warn: () => {},
      });
    }
  }
}
