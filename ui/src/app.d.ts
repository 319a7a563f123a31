// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    interface Error {
      message: string;
      /** A stable kind the error page turns into the right state (forbidden, not found…). */
      kind?: 'forbidden' | 'not_found' | 'unauthenticated' | 'unavailable' | 'unexpected';
    }
  }
}

export {};
