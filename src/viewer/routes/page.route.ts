import type { FastifyInstance } from 'fastify';
import { indexPage, type PageAsset } from '../page-assets';
import { PAGE } from '../route-access';

// 'self' only: no inline script or style, no third-party origin; connect-src lets the page read the API and the events
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET / (the page) and GET /assets/:file (its style sheet and scripts). */
export function registerPageRoutes(server: FastifyInstance, assets: ReadonlyMap<string, PageAsset>): void {
  server.get('/', PAGE, async (_request, reply) => {
    const page = indexPage(assets);
    return reply
      .code(page.status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('cache-control', 'no-cache')
      .send(page.body);
  });

  server.get<{ Params: { file: string } }>('/assets/:file', PAGE, async (request, reply) => {
    const asset = assets.get(request.params.file);
    if (!asset) {
      return reply.code(404).send({
        statusCode: 404,
        error: 'NotFound',
        message: `no asset '${request.params.file}'; the page's assets are ${[...assets.keys()].join(', ')}`,
      });
    }
    return reply.header('content-type', asset.contentType).header('cache-control', 'no-cache').send(asset.body);
  });
}
