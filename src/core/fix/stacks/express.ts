// Express with the `cors` package: one app.use before the routes.
import { lines, quote, stack } from '../render';
import { nodeCorsOptions } from './node-options';

export const express = stack(
  'express',
  'Express (cors package)',
  'node',
  (req) => ({
    text: `app.use(cors(${nodeCorsOptions(req)}));\n`,
    notes: [
      "Needs the cors package (npm install cors; import cors from 'cors'). Put it before the routes so that error responses carry the headers too.",
      'It answers preflights itself (204) and sends Vary: Origin.',
    ],
  }),
  (headers) => ({
    text: lines(['app.use((req, res, next) => {', ...headers.map(([name, value]) => `  res.set(${quote(name)}, ${quote(value)});`), '  next();', '});']),
    notes: ['Put it before the routes (and express.static), so that every response carries these headers.'],
  }),
);
