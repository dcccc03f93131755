/** What a submitter sees instead of a page only viewers and admins may read (the gateway answers FORBIDDEN). */
export function NeedsReader({ what }: { what: string }) {
  return (
    <p role="alert" className="needs-reader" data-testid="needs-reader">
      {what} needs the viewer or admin role. Your token lets you submit and watch your own jobs.
    </p>
  );
}

/** A request's failure in one line, next to what it is about. */
export function Failure({ message }: { message: string }) {
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
