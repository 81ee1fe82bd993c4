import { describe, expect, it } from 'vitest';
import { fastapi } from '../../../../../src/core/fix/stacks/fastapi';
import { expectAll, REQ } from './requirements';

describe('FastAPI / Starlette (CORSMiddleware)', () => {
  it("adds CORSMiddleware with Starlette's keyword arguments", () => {
    const text = fastapi.render(REQ).text;
    expect(text).toMatch(/^app\.add_middleware\(\n {4}CORSMiddleware,\n/);
    expectAll(text, [
      '    allow_origins=["https://app.example", "http://localhost:5173"],\n',
      '    allow_methods=["GET", "HEAD", "POST", "PATCH", "PUT"],\n',
      '    allow_headers=["authorization", "x-lab-token"],\n',
      '    allow_credentials=True,\n',
      '    expose_headers=["x-request-id"],\n',
      '    max_age=7200,\n)',
    ]);
  });
});
