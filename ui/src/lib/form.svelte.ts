import { ApiError, newIdempotencyKey } from './api/client.ts';
import { fieldErrors, type Problem } from './api/problem.ts';
import { toast } from './toast.svelte.ts';

/**
 * The state of one form or action button: pending while the call runs, the API's problem when it
 * refuses (field errors shown beside the inputs), and an idempotency key kept until the call
 * succeeds, so submitting again after a network failure cannot record the same thing twice.
 */
export class FormState {
  pending = $state(false);
  problem = $state<Problem | null>(null);
  readonly errors = $derived(fieldErrors(this.problem));
  #key = newIdempotencyKey();

  async run<T>(
    call: (idempotencyKey: string) => Promise<T>,
    successMessage?: string,
  ): Promise<T | undefined> {
    if (this.pending) return undefined;
    this.pending = true;
    this.problem = null;
    try {
      const result = await call(this.#key);
      this.#key = newIdempotencyKey();
      if (successMessage !== undefined) toast(successMessage, 'success');
      return result;
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.problem = e.problem;
      // A refusal (4xx) recorded nothing, and the corrected submission is another request: it
      // needs its own key. After a network error or a 5xx the first attempt may have been
      // recorded, so the key is kept and a retry gets the first answer instead of a duplicate.
      if (e.status >= 400 && e.status < 500) this.#key = newIdempotencyKey();
      // A refusal of the request itself (not a field) is also announced as a toast.
      if (e.problem.errors.length === 0) toast(e.problem.detail ?? e.problem.title, 'error');
      return undefined;
    } finally {
      this.pending = false;
    }
  }
}
