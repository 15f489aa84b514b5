/**
 * A module worker that fails to load, or dies, as an error its caller can race against: comlink never settles a
 * call to such a worker, but the worker's `error` event does fire.
 */
import { UnsupportedEnvironmentError } from '../errors.ts';

/**
 * Rejects with UnsupportedEnvironmentError naming the worker (`what`, e.g. 'the map worker') and its URL when
 * `worker` fails. Already marked handled: it only matters while a call races it.
 */
export function whenWorkerFails(worker: Worker, what: string, url: string | URL): Promise<never> {
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener(
      'error',
      (event) => reject(new UnsupportedEnvironmentError(`${what} (${String(url)}) failed: ${(event as ErrorEvent).message || 'it could not be loaded'}`)),
      { once: true },
    );
  });
  failed.catch(() => undefined);
  return failed;
}
