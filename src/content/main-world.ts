// Runs in the page's own world at document_start, in every frame.
export {};
