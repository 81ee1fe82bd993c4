import { describe, expect, it } from 'vitest';
import { spring } from '../../../../../src/core/fix/stacks/spring';
import { expectAll, REQ } from './requirements';

describe('Spring (CorsConfiguration)', () => {
  it('fills a CorsConfiguration with its documented setters', () => {
    const text = spring.render(REQ).text;
    expectAll(text, [
      'config.setAllowedOrigins(List.of("https://app.example", "http://localhost:5173"));',
      'config.setAllowedMethods(List.of("GET", "HEAD", "POST", "PATCH", "PUT"));',
      'config.setAllowedHeaders(List.of("authorization", "x-lab-token"));',
      'config.setExposedHeaders(List.of("x-request-id"));',
      'config.setAllowCredentials(true);',
      'config.setMaxAge(7200L);',
      'source.registerCorsConfiguration("/**", config);',
    ]);
  });
});
