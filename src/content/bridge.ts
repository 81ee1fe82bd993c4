// Runs in the isolated world at document_start, in every frame.
export {};
