import fastifyStatic from '@fastify/static';
import { FastifyAdapter } from '@nestjs/platform-fastify';

type StaticOptions = Parameters<FastifyAdapter['useStaticAssets']>[0];

/**
 * Nest's Fastify adapter, serving static files (Swagger UI's assets under `/docs`) with this
 * package's own `@fastify/static`: the adapter would load it from its own location, where npm does
 * not put a dependency of this workspace.
 */
export class QueryFastifyAdapter extends FastifyAdapter {
  override useStaticAssets(options: StaticOptions): this {
    // Answers carry `Cache-Control: no-store` (the request hook): no caching headers or validators of the plugin's own.
    void this.getInstance().register(fastifyStatic as never, { ...options, cacheControl: false, etag: false, lastModified: false } as never);
    return this;
  }
}
