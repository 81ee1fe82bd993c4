// ASP.NET Core: a named CORS policy and UseCors.
import { allowedMethods, lines, quote, stack } from '../render';

const args = (items: readonly string[]) => items.map(quote).join(', ');

export const aspnet = stack('aspnet', 'ASP.NET Core (CORS policy)', 'framework', (req) => {
  const calls = [
    `.WithOrigins(${args(req.origins)})`,
    `.WithMethods(${args(allowedMethods(req))})`,
    `.WithHeaders(${args(req.requestHeaders)})`,
    ...(req.exposedHeaders.length > 0 ? [`.WithExposedHeaders(${args(req.exposedHeaders)})`] : []),
    ...(req.credentials ? ['.AllowCredentials()'] : []),
    `.SetPreflightMaxAge(TimeSpan.FromSeconds(${req.maxAge}))`,
  ];
  const text = lines([
    'builder.Services.AddCors(options =>',
    '{',
    '    options.AddPolicy("PageOrigins", policy => policy',
    ...calls.map((c, i) => `        ${c}${i === calls.length - 1 ? ');' : ''}`),
    '});',
    '',
    '// after UseRouting, before UseAuthorization and the endpoints:',
    'app.UseCors("PageOrigins");',
  ]);
  return {
    text,
    notes: [`In Program.cs of the app serving ${req.server}. The middleware answers preflights and sends Vary: Origin.`],
  };
}, (headers, server) => ({
  text: lines([
    'app.Use(async (context, next) =>',
    '{',
    ...headers.map(([name, value]) => `    context.Response.Headers[${quote(name)}] = ${quote(value)};`),
    '    await next();',
    '});',
  ]),
  notes: [`In Program.cs of the app serving ${server}, before UseStaticFiles and the endpoints.`],
}));
