/** A job state as a coloured badge (colours in console.css, `.state-<state>`, light and dark). */
export function StateBadge({ state }: { state: string }) {
  const name = state.toLowerCase();
  return <span className={`state state-${name.replace(/_/g, '-')}`}>{name.replace(/_/g, ' ')}</span>;
}
