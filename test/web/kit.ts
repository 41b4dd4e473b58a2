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

/** What a page did, kept for the report of a wait that timed out: its last API answers, its
 * console, and the events the server streamed meanwhile (read beside the page with `token`). */
export interface PageTrace {
  explain(): Promise<string>;
  /** the errors the page's scripts threw */
  pageErrors(): string[];
  stop(): void;
}

export function tracePage(page: Page, url: string, token: string): PageTrace {
  const t0 = Date.now();
  const at = () => `+${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const answers: string[] = [];
  const consoleLines: string[] = [];
  const streamed: string[] = [];
  const keep = (list: string[], line: string) => {
    list.push(line);
    if (list.length > 60) list.shift();
  };
  page.on('console', (m) => keep(consoleLines, `${at()} ${m.type()} ${m.text()}`));
  const thrown: string[] = [];
  page.on('pageerror', (e) => {
    thrown.push(e.message);
    keep(consoleLines, `${at()} pageerror ${e.message}`);
  });
  page.on('requestfailed', (r) =>
    keep(answers, `${at()} FAILED ${r.method()} ${r.url()} ${r.failure()?.errorText}`),
  );
  page.on('response', (r) => {
    const path = r.url().replace(url, '');
    if (!path.startsWith('/api/')) return;
    if (path.startsWith('/api/v1/events')) return keep(answers, `${at()} ${r.status()} GET ${path} (stream)`);
    void r.text().then(
      (body) => keep(answers, `${at()} ${r.status()} ${r.request().method()} ${path} ${body.slice(0, 300)}`),
      () => keep(answers, `${at()} ${r.status()} ${r.request().method()} ${path} (no body)`),
    );
  });
  const ctl = new AbortController();
  void (async () => {
    try {
      const res = await fetch(`${url}/api/v1/events`, {
        headers: { authorization: `Bearer ${token}` },
        signal: ctl.signal,
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const line of value.split('\n'))
          if (line.startsWith('id: ') || line.startsWith('event: ')) keep(streamed, `${at()} ${line}`);
      }
    } catch {
      // stopped
    }
  })();
  return {
    stop: () => ctl.abort(),
    pageErrors: () => [...thrown],
    async explain() {
      const get = async (path: string) => {
        const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        return `${r.status} ${(await r.text()).slice(0, 1500)}`;
      };
      const hash = page.url().replace(/^[^#]*/, '');
      const m = /^#\/release\/([^/]+)\/([^/]+)\/(\d+)$/.exec(hash);
      return [
        `page: ${page.url()}`,
        `shown: ${(
          await page
            .locator('main')
            .innerText()
            .catch(() => '?')
        ).slice(0, 600)}`,
        `requests: ${await get('/api/v1/requests?limit=5')}`,
        m
          ? `release: ${await get(`/api/v1/releases/${m[1]}/${m[2]}/${m[3]}`)}`
          : 'release: (not a release page)',
        `page's API answers:\n  ${answers.join('\n  ')}`,
        `console:\n  ${consoleLines.join('\n  ')}`,
        `streamed:\n  ${streamed.join('\n  ')}`,
      ].join('\n');
    },
  };
}

/** Waits for `locator`; on a timeout the error carries what the page and the server did. */
export async function waitExplained(
  locator: ReturnType<Page['locator']>,
  trace: PageTrace,
  timeout: number,
): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${await trace.explain()}`, { cause: e });
  }
}
