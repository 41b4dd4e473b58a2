// The dashboard: a hash-routed single page over the public API. The token the user logs in with
// decides what is shown (a viewer sees no buttons; the API refuses anyway).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, token } from './api.ts';
import { Audit } from './pages/audit.tsx';
import { Delivery } from './pages/delivery.tsx';
import { Login } from './pages/login.tsx';
import { MatrixPage } from './pages/matrix.tsx';
import { PreviewsPage } from './pages/previews.tsx';
import { ReleasePage, RequestPage } from './pages/release.tsx';
import { ServicePage } from './pages/service.tsx';
import type { Me } from './types.ts';
import { Guard } from './ui.tsx';
import './style.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setHash(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Page({ path, me }: { path: string; me: Me }) {
  const [route = '', ...rest] = path.replace(/^\//, '').split('?')[0]!.split('/').map(decodeURIComponent);
  switch (route) {
    case '':
      return <MatrixPage me={me} />;
    case 'service':
      return <ServicePage me={me} service={rest[0] ?? ''} environment={rest[1]} />;
    case 'release':
      return <ReleasePage service={rest[0] ?? ''} environment={rest[1] ?? ''} id={Number(rest[2])} />;
    case 'request':
      return <RequestPage id={Number(rest[0])} />;
    case 'previews':
      return <PreviewsPage me={me} />;
    case 'delivery':
      return <Delivery environment={rest[0]} />;
    case 'audit':
      return me.role === 'admin' ? <Audit /> : <p>The audit is for admins.</p>;
    default:
      return (
        <p>
          No page here. <a href="#/">Back to the matrix</a>
        </p>
      );
  }
}

function App() {
  const path = useHash();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    if (!token.get()) return setMe(null);
    api<Me>('GET', '/api/v1/whoami').then(setMe, (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) token.clear();
      setMe(null);
    });
  }, []);
  if (me === undefined) return <p class="muted">Loading…</p>;
  if (me === null) return <Login onLogin={setMe} />;
  const here = (p: string) => (path === p || path.startsWith(`${p}/`) ? 'page' : undefined);
  return (
    <>
      <header>
        <a class="brand" href="#/">
          ferry
        </a>
        <nav aria-label="pages">
          <a href="#/" aria-current={path === '/' ? 'page' : undefined}>
            Matrix
          </a>
          <a href="#/previews" aria-current={here('/previews')}>
            Previews
          </a>
          <a href="#/delivery" aria-current={here('/delivery')}>
            Delivery
          </a>
          {me.role === 'admin' ? (
            <a href="#/audit" aria-current={here('/audit')}>
              Audit
            </a>
          ) : null}
        </nav>
        <span class="who">
          {me.actor} · <span class="role">{me.role}</span>
          <button
            class="link"
            onClick={() => {
              token.clear();
              setMe(null);
            }}
          >
            Log out
          </button>
        </span>
      </header>
      <main>
        <Guard key={path}>
          <Page path={path} me={me} />
        </Guard>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
