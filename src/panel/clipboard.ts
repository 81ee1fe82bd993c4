/** Copies text to the clipboard; a refusal (no permission, no focus) is not the user's problem to see. */
export function copy(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}
