import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// SvelteKit reads ui/svelte.config.js (run from ui/: `npm run build:ui`, `cd ui && vite dev`).
// In development the API runs apart on LEDGER_API_URL (default port 3000); the proxy keeps the
// browser on one origin so the session cookie and CSRF header behave as in production, where
// `ledger serve` answers both on one port.
const apiUrl = process.env.LEDGER_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': { target: apiUrl, changeOrigin: false } } },
});
