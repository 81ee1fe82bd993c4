// Spring (Web MVC or WebFlux): a CorsConfigurationSource bean, which Spring Security's cors() also uses.
import { allowedMethods, lines, quote, stack } from '../render';

const javaList = (items: readonly string[]) => `List.of(${items.map(quote).join(', ')})`;

export const spring = stack('spring', 'Spring (CorsConfiguration)', 'framework', (req) => {
  const text = lines([
    '@Bean',
    'CorsConfigurationSource corsConfigurationSource() {',
    '    CorsConfiguration config = new CorsConfiguration();',
    `    config.setAllowedOrigins(${javaList(req.origins)});`,
    `    config.setAllowedMethods(${javaList(allowedMethods(req))});`,
    `    config.setAllowedHeaders(${javaList(req.requestHeaders)});`,
    ...(req.exposedHeaders.length > 0 ? [`    config.setExposedHeaders(${javaList(req.exposedHeaders)});`] : []),
    ...(req.credentials ? ['    config.setAllowCredentials(true);'] : []),
    `    config.setMaxAge(${req.maxAge}L);`,
    '    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();',
    '    source.registerCorsConfiguration("/**", config);',
    '    return source;',
    '}',
  ]);
  return {
    text,
    notes: [
      `A @Configuration bean for ${req.server} (imports from org.springframework.web.cors; java.util.List). With Spring Security, enable http.cors() so preflights pass before authentication.`,
      'Spring checks the method of actual requests too, so GET, HEAD and POST are listed. The same values fit @CrossOrigin(origins = ..., methods = ..., allowedHeaders = ..., exposedHeaders = ..., allowCredentials = "true", maxAge = ...) on one controller.',
    ],
  };
}, (headers, server) => ({
  text: lines([
    '@Bean',
    'OncePerRequestFilter crossOriginPolicyHeaders() {',
    '    return new OncePerRequestFilter() {',
    '        @Override',
    '        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain) throws ServletException, IOException {',
    ...headers.map(([name, value]) => `            response.setHeader(${quote(name)}, ${quote(value)});`),
    '            chain.doFilter(request, response);',
    '        }',
    '    };',
    '}',
  ]),
  notes: [`A @Configuration bean for ${server} (Web MVC: org.springframework.web.filter.OncePerRequestFilter, jakarta.servlet). The headers are set before the handler runs, so error responses carry them too.`],
}));
