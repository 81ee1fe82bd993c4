/** "1 older request was" or "3 older requests were": a count of things and its verb, singular or plural. */
export function countWere(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? `${one} was` : `${many} were`}`;
}
