// The dashboard in a real browser: Debian's Chromium (installed by scripts/setup.sh) driven by
// playwright-core, against a real ferry server (test/server/kit.ts) serving the built
// dashboard. Screenshots go to .ferry/artifacts/web/ (not committed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../kit/cluster.ts';

export const artifacts = join(repoRoot, '.ferry', 'artifacts', 'web');
export const webDir = join(repoRoot, 'dist', 'web');

/** The Chromium binary: FERRY_CHROMIUM, else Debian's. */
export function chromiumPath(): string {
  const p = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(p))
    throw new Error(
      `no Chromium at ${p}: scripts/setup.sh installs Debian's chromium (or set FERRY_CHROMIUM)`,
    );
  return p;
}

/** Builds the dashboard when dist/web is missing (npm test builds it before the tests). */
export function ensureWebBuilt(): void {
  if (existsSync(join(webDir, 'index.html'))) return;
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:web failed');
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const file = join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Opens the dashboard at `url` and logs in with `token`. */
export async function login(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.evaluate(() => sessionStorage.clear());
  await page.goto(`${url}/#/`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'What runs where' }).waitFor();
}
