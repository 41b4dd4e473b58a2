// Every CLI command, one line each. A command module exports `register(program)` and imports its
// heavy dependencies (Kubernetes client, SQLite, renderers) inside its action, so startup stays fast.
import type { Command } from 'commander';

export interface CommandModule {
  register(program: Command): void;
}

export const commands: readonly (() => Promise<CommandModule>)[] = [
  () => import('./validate.ts'),
  () => import('./init.ts'),
  () => import('./render.ts'),
  () => import('./import.ts'),
  () => import('./parity.ts'),
  () => import('./chart.ts'),
  () => import('./deploy.ts'),
  () => import('./rollback.ts'),
  () => import('./promote.ts'),
  () => import('./autodeploy.ts'),
  () => import('./status.ts'),
  () => import('./history.ts'),
  () => import('./diff.ts'),
  () => import('./dora.ts'),
  () => import('./logs.ts'),
  () => import('./store.ts'),
  () => import('./cutover.ts'),
  () => import('./server.ts'),
  () => import('./token.ts'),
  () => import('./audit.ts'),
  () => import('./preview.ts'),
  // last: it describes every command registered before it
  () => import('./completion.ts'),
];
