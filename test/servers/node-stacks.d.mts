import type { Answer, Running } from './backend';

export function startExpress(statement: string, answer: (method: string, path: string) => Answer, port: number): Promise<Running>;
export function startFastify(statement: string, answer: (method: string, path: string) => Answer, port: number): Promise<Running>;
