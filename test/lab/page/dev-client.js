// Stands in for Vite's HMR client (/@vite/client): a dev server's page loads it from itself,
// which is how Origin Lens knows the page runs on a dev server. It does nothing else.
document.documentElement.dataset.devClient = 'loaded';
