import { useState } from 'react';

/**
 * Keeps `token` for this tab and starts over: a full reload is what makes the new identity hold
 * everywhere at once, the `me` query, every page's requests and the WebSocket's connection_init.
 */
function useToken(tokenKey: string): { signIn: (token: string) => void; signOut: () => void; hasToken: boolean } {
  return {
    hasToken: sessionStorage.getItem(tokenKey) !== null,
    signIn: (token) => {
      sessionStorage.setItem(tokenKey, token);
      window.location.reload();
    },
    signOut: () => {
      sessionStorage.removeItem(tokenKey);
      window.location.reload();
    },
  };
}

/** A token form: `prominent` when nothing can be shown without one. */
export function SignInForm({ tokenKey, prominent, problem }: { tokenKey: string; prominent: boolean; problem?: string }) {
  const [token, setToken] = useState('');
  const { signIn } = useToken(tokenKey);
  return (
    <form
      className={prominent ? 'sign-in sign-in-prominent' : 'sign-in'}
      aria-label="Sign in"
      onSubmit={(event) => {
        event.preventDefault();
        if (token.trim() !== '') signIn(token.trim());
      }}
    >
      {prominent && <h1>Sign in to Jobgate</h1>}
      {problem !== undefined && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <label htmlFor="sign-in-token">Access token</label>
      <input
        id="sign-in-token"
        data-testid="sign-in-token"
        type="password"
        autoComplete="off"
        value={token}
        onChange={(event) => setToken(event.target.value)}
      />
      <button type="submit" data-testid="sign-in-submit" disabled={token.trim() === ''}>
        Sign in
      </button>
    </form>
  );
}

/** Who is signed in, with sign-out; or a compact sign-in for a gateway that lets anonymous callers in. */
export function Account({ tokenKey, callerId }: { tokenKey: string; callerId: string | undefined }) {
  const { hasToken, signOut } = useToken(tokenKey);
  if (hasToken)
    return (
      <span className="account">
        <span data-testid="caller-id" title="Signed in as">
          {callerId ?? '…'}
        </span>{' '}
        <button type="button" className="secondary" data-testid="sign-out" onClick={signOut}>
          Sign out
        </button>
      </span>
    );
  return (
    <details className="account">
      <summary>
        <span data-testid="caller-id">{callerId ?? '…'}</span> · sign in
      </summary>
      <SignInForm tokenKey={tokenKey} prominent={false} />
    </details>
  );
}
