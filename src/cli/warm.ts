// What the start-up snapshot holds ready (start.ts): the modules the CLI may load, evaluated,
// then examples/anna loaded, validated and rendered for every environment, target and format, so
// the snapshot also holds the compiled code of that path and the validators zod generates on a
// schema's first use. A snapshot-started process compiles and evaluates none of it. (Not through
// runCli: its run context turns on async hooks, which a snapshot cannot hold.)
// Which modules: scripts/build.mjs fills the list below in the bundle with every source module
// the CLI can reach, except those that load node:http/http2/tls/net (Node cannot hold them in a
// snapshot: the Kubernetes client) or `pg` (it reads the environment when loaded); those load when
// first used. A module must not read the environment or the clock when it is loaded: the snapshot
// would keep the build machine's value. Runs only while the snapshot is built.
import { fileURLToPath } from 'node:url';

const modules: (() => Promise<unknown>)[] = []; /* ferry:warm-modules */

export async function warm(): Promise<void> {
  await Promise.all(modules.map((load) => load()));
  const [{ loadApp }, { listWorkloads }, { loadTarget, targetNames }, { toJson, toYamlStream }] =
    await Promise.all([
      import('../manifest/load.ts'),
      import('../model/resolve.ts'),
      import('../render/targets.ts'),
      import('../render/serialize.ts'),
    ]);
  const app = await loadApp(fileURLToPath(new URL('../../examples/anna', import.meta.url)));
  for (const env of Object.keys(app.platform.manifest.environments)) {
    const workloads = listWorkloads(app, env, '0.0.0-dev');
    const first = workloads[0];
    if (!first) continue;
    for (const name of targetNames()) {
      const target = await loadTarget(name);
      if (!target) continue;
      const docs = target.render(first.environment, workloads, { jobs: true });
      target.warnings?.(first.environment, workloads);
      toYamlStream(docs);
      toJson(target.toJson(docs));
    }
  }
}
