// Login with a ferry token (ferry token create): checked against the API before it is kept.
import { useState } from 'preact/hooks';
import { api, token } from '../api.ts';
import type { Me } from '../types.ts';
import { ErrorBox } from '../ui.tsx';

export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const me = await api<Me>('GET', '/api/v1/whoami', undefined, value.trim());
      token.set(value.trim());
      onLogin(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>ferry</h1>
      <form onSubmit={submit}>
        <label for="token">Token</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          placeholder="fry_…"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          autofocus
          required
        />
        <button type="submit" disabled={busy}>
          Log in
        </button>
        <p class="muted">
          Ask an admin for a token: <code>ferry token create --name you --role viewer</code> (viewer reads,
          deployer deploys and rolls back, admin also sees the audit).
        </p>
        {error ? <ErrorBox error={error} /> : null}
      </form>
    </main>
  );
}
