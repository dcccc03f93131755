import path from 'node:path';
import type { Request, Response } from 'express';
import type { Authenticator } from '../auth/authenticator';
import { canRead } from '../auth/caller';
import type { Services } from '../services';
import { parseGlobalId } from '../jobs/job-id';
import { JobState } from '../jobs/job-view';

/**
 * `GET /downloads/:id`: the file a completed job wrote (e.g. an exportReport), for whoever may
 * read the job. Anything else, including another owner's job, is a plain 404.
 */
export function downloads(services: Services, authenticator: Authenticator) {
  return async (request: Request, response: Response): Promise<void> => {
    try {
      const caller = await authenticator.authenticate(request.headers.authorization);
      const view = await services.store.load(parseGlobalId(String(request.params.id)));
      const file = (view?.result as { file?: unknown } | null)?.file;
      if (!view || view.state !== JobState.COMPLETED || !canRead(caller, view.owner) || typeof file !== 'string') {
        response.status(404).json({ error: 'NOT_FOUND' });
        return;
      }
      const root = services.config.storageDir;
      const absolute = path.resolve(root, file);
      if (!absolute.startsWith(root + path.sep)) {
        response.status(404).json({ error: 'NOT_FOUND' });
        return;
      }
      response.download(absolute, path.basename(absolute), (error) => {
        if (error && !response.headersSent) response.status(404).json({ error: 'NOT_FOUND' });
      });
    } catch {
      response.status(404).json({ error: 'NOT_FOUND' });
    }
  };
}
